"""Drive a Media Live endpoint with Huawei Cloud's official Python Live SDK and report conformance.

Calls all eleven Flows operations through ``huaweicloudsdklive.v1.LiveClient`` and its request
models, in the order a user would: create a flow with two sources (a listener with decryption and a
caller), list it with and without ``limit``/``offset``, read its detail with and without
``data_display``, start it, stop it, modify a source, create two outputs, show one with and without
``data_display``, modify it, delete it, and delete the flow.

For every answer the raw JSON body is walked against the SDK model the SDK deserializes it into
(its ``openapi_types`` and ``attribute_map``): a key the model does not know is reported under
``unknown_keys``, a value of another JSON type than the model's under ``type_mismatches``. The
report is one JSON document on stdout; the exit status is 0 when every call answered 2xx with
neither, 1 otherwise, 2 on a usage error.

The SDK 3.1.219's ``ShowFlowDetailRequest`` has no ``data_display`` field although the API page
documents one, so that call appends the query parameter to the request the SDK builds
(``_show_flow_detail_http_info``) and sends it through the SDK's own ``_call_api``: signed and
deserialized by the SDK like every other call.

Usage::

    python live_sdk_conformance.py [--endpoint URL] [--project-id ID]
                                   [--access-key AK] [--secret-key SK]

Each option falls back to the environment variable the provider reads: ``HW_LIVE_ENDPOINT``,
``HW_PROJECT_ID``, ``HW_ACCESS_KEY``, ``HW_SECRET_KEY`` (pass the secret key that way rather than
on the command line, where other processes can read it).
"""

import argparse
import importlib.metadata
import json
import os
import sys
from urllib.parse import urlparse

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdklive.v1 import LiveClient
from huaweicloudsdklive.v1 import model as live_model
from huaweicloudsdklive.v1.model import (
    AddFlowOutputsRequest,
    CreateFlowOutputRequest,
    CreateFlowsRequest,
    CreateFlowsRequestBody,
    DeleteFlowOutputRequest,
    DeleteFlowRequest,
    FlowSource,
    FlowSourceDecryption,
    ListFlowsRequest,
    ModifyFlowOutputRequest,
    ModifyFlowSourcesRequest,
    ModifyFlowSourcesRequestBody,
    ModifyFlowStartRequest,
    ModifyFlowStopRequest,
    ShowFlowDetailRequest,
    ShowOutputInfoRequest,
    UpdateFlowOutputRequestBody,
)

# Every call run() makes when each one succeeds.
EXPECTED_CALL_COUNT = 14
SOURCE_PASSPHRASE = "sdk-source-passphrase-01"
OUTPUT_PASSPHRASE = "sdk-output-passphrase-02"

PRIMITIVE_JSON_TYPES = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default=os.environ.get("HW_LIVE_ENDPOINT"))
    parser.add_argument("--project-id", default=os.environ.get("HW_PROJECT_ID"))
    parser.add_argument("--access-key", default=os.environ.get("HW_ACCESS_KEY"))
    parser.add_argument("--secret-key", default=os.environ.get("HW_SECRET_KEY"))
    arguments = parser.parse_args(argv)
    missing = [
        option
        for option, value in [
            ("--endpoint / HW_LIVE_ENDPOINT", arguments.endpoint),
            ("--project-id / HW_PROJECT_ID", arguments.project_id),
            ("--access-key / HW_ACCESS_KEY", arguments.access_key),
            ("--secret-key / HW_SECRET_KEY", arguments.secret_key),
        ]
        if not value
    ]
    if missing:
        parser.error("missing " + ", ".join(missing))
    return arguments


def model_class(type_name):
    """The SDK model class of an ``openapi_types`` entry, or None for a primitive or a dict."""
    return getattr(live_model, type_name, None)


def walk(value, type_name, path, findings):
    """Compares one JSON value with the SDK type it is deserialized as, recording differences."""
    if value is None:
        return
    if type_name.startswith("list["):
        if not isinstance(value, list):
            findings["type_mismatches"].append(f"{path}: {type(value).__name__}, not {type_name}")
            return
        for index, item in enumerate(value):
            walk(item, type_name[len("list[") : -1], f"{path}[{index}]", findings)
        return
    if type_name in PRIMITIVE_JSON_TYPES:
        allowed = PRIMITIVE_JSON_TYPES[type_name]
        # JSON booleans are Python ints; an int field holding true is still a mismatch.
        if not isinstance(value, allowed) or (type_name != "bool" and isinstance(value, bool)):
            findings["type_mismatches"].append(f"{path}: {type(value).__name__}, not {type_name}")
        return
    klass = model_class(type_name)
    if klass is None:
        # object, dict(...), date types: the SDK takes the JSON as it is.
        return
    if not isinstance(value, dict):
        findings["type_mismatches"].append(f"{path}: {type(value).__name__}, not {type_name}")
        return
    attribute_by_key = {key: attribute for attribute, key in klass.attribute_map.items()}
    for key, item in value.items():
        child = f"{path}.{key}" if path else key
        attribute = attribute_by_key.get(key)
        if attribute is None:
            findings["unknown_keys"].append(child)
            continue
        walk(item, klass.openapi_types[attribute], child, findings)


class ConformanceRun:
    """Sends each call through the SDK and records what came back."""

    def __init__(self, client):
        self.client = client
        self.calls = []

    def call(self, name, response_type, send):
        record = {"name": name, "status": None, "ok": False, "unknown_keys": [],
                  "type_mismatches": [], "body": None, "error": None}
        self.calls.append(record)
        try:
            response = send()
        except exceptions.ServiceResponseException as error:
            record.update(status=error.status_code, error={
                "error_code": error.error_code, "error_msg": error.error_msg,
                "request_id": error.request_id})
            return None
        except exceptions.SdkException as error:
            record["error"] = {"sdk_exception": type(error).__name__, "message": str(error)}
            return None
        record["status"] = response.status_code
        raw = response.raw_content
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            record["error"] = {"message": "the answer is not JSON"}
            return response
        record["body"] = body
        walk(body, response_type, "", record)
        record["ok"] = (
            200 <= response.status_code < 300
            and not record["unknown_keys"]
            and not record["type_mismatches"]
        )
        return response


def run(arguments):
    # requests honours HTTP(S)_PROXY; a simulator on loopback must never be reached through one.
    host = urlparse(arguments.endpoint).hostname or ""
    os.environ["NO_PROXY"] = ",".join(filter(None, [host, os.environ.get("NO_PROXY")]))
    credentials = BasicCredentials(arguments.access_key, arguments.secret_key, arguments.project_id)
    client = LiveClient.new_builder().with_credentials(credentials) \
        .with_endpoints([arguments.endpoint]).build()
    conformance = ConformanceRun(client)
    call = conformance.call

    listener = FlowSource(
        name="primary", protocol="srt-listener", min_latency=1200,
        cidr_whitelist=["198.51.100.0/24"], description="main encoder",
        decryption=FlowSourceDecryption(
            algorithm="aes256", key_type="srt-password", passphrase=SOURCE_PASSPHRASE))
    caller = FlowSource(
        name="backup", protocol="srt-caller", source_listener_address="203.0.113.7",
        source_listener_port=9000, stream_id="backup-feed")
    created = call("CreateFlows", "CreateFlowsResponse", lambda: client.create_flows(
        CreateFlowsRequest(body=CreateFlowsRequestBody(
            name="sdk-conformance", region="ap-southeast-3", sources=[listener, caller]))))
    if created is None or created.flow is None:
        return conformance.calls
    flow_id = created.flow.flow_id

    call("ListFlows", "ListFlowsResponse", lambda: client.list_flows(ListFlowsRequest()))
    call("ListFlows limit offset", "ListFlowsResponse",
         lambda: client.list_flows(ListFlowsRequest(limit=1, offset=0)))
    call("ShowFlowDetail", "ShowFlowDetailResponse",
         lambda: client.show_flow_detail(ShowFlowDetailRequest(flow_id=flow_id)))

    def detail_with_data_display():
        http_info = LiveClient._show_flow_detail_http_info(ShowFlowDetailRequest(flow_id=flow_id))
        http_info["query_params"].append(("data_display", "true"))
        return client._call_api(**http_info)

    call("ShowFlowDetail data_display", "ShowFlowDetailResponse", detail_with_data_display)
    call("ModifyFlowStart", "ModifyFlowStartResponse",
         lambda: client.modify_flow_start(ModifyFlowStartRequest(flow_id=flow_id)))
    call("ModifyFlowStop", "ModifyFlowStopResponse",
         lambda: client.modify_flow_stop(ModifyFlowStopRequest(flow_id=flow_id)))
    call("ModifyFlowSources", "ModifyFlowSourcesResponse",
         lambda: client.modify_flow_sources(ModifyFlowSourcesRequest(
             flow_id=flow_id, source_name="backup",
             body=ModifyFlowSourcesRequestBody(source=FlowSource(
                 name="backup", protocol="srt-caller", source_listener_address="203.0.113.8",
                 source_listener_port=9001, stream_id="backup-feed-2", min_latency=800)))))
    outputs = [
        AddFlowOutputsRequest(
            name="pull-out", protocol="srt-listener", cidr_whitelist=["198.51.100.10/32"],
            encryption=FlowSourceDecryption(key_type="srt-password", passphrase=OUTPUT_PASSPHRASE),
            output_status="ENABLED", description="partners pull here", min_latency=500),
        AddFlowOutputsRequest(
            name="push_out", protocol="srt-caller", destination="cdn.example.com", port=7001,
            stream_id="push", output_status="DISABLED"),
    ]
    call("CreateFlowOutput", "CreateFlowOutputResponse",
         lambda: client.create_flow_output(CreateFlowOutputRequest(flow_id=flow_id, body=outputs)))
    call("ShowOutputInfo", "ShowOutputInfoResponse",
         lambda: client.show_output_info(ShowOutputInfoRequest(
             flow_id=flow_id, output_name="pull-out")))
    call("ShowOutputInfo data_display", "ShowOutputInfoResponse",
         lambda: client.show_output_info(ShowOutputInfoRequest(
             flow_id=flow_id, output_name="pull-out", data_display="true")))
    call("ModifyFlowOutput", "ModifyFlowOutputResponse",
         lambda: client.modify_flow_output(ModifyFlowOutputRequest(
             flow_id=flow_id, output_name="push_out", body=UpdateFlowOutputRequestBody(
                 destination="203.0.113.50", output_status="ENABLED", min_latency=4000))))
    call("DeleteFlowOutput", "DeleteFlowOutputResponse",
         lambda: client.delete_flow_output(DeleteFlowOutputRequest(
             flow_id=flow_id, output_name="push_out")))
    call("DeleteFlow", "DeleteFlowResponse",
         lambda: client.delete_flow(DeleteFlowRequest(flow_id=flow_id)))
    return conformance.calls


def main(argv):
    arguments = parse_arguments(argv)
    calls = run(arguments)
    report = {
        "sdk": {name: importlib.metadata.version(name)
                for name in ("huaweicloudsdklive", "huaweicloudsdkcore")},
        "passphrases": {"source": SOURCE_PASSPHRASE, "output": OUTPUT_PASSPHRASE},
        "calls": calls,
        "ok": len(calls) == EXPECTED_CALL_COUNT and all(call["ok"] for call in calls),
    }
    json.dump(report, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
