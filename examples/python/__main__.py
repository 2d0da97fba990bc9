"""Keep two Huawei Cloud Media Live flows running with the huaweicloud-medialive provider plugin.

One flow is in the region of the stack config (the default provider, configured from
``huaweicloud-medialive:*``), the other in a second region through an explicit provider with its
own region, project and credentials. A third flow, with one SRT source and one output, is created
in the first region.

The program runs as a Pulumi Automation API inline program: this process serves the program to the
``pulumi`` CLI, so no Python language host is needed (Pulumi's is not installable everywhere). Run
it in this folder, whose ``Pulumi.yaml`` names the project and declares its config::

    python __main__.py [--stack dev] preview|up|refresh|destroy

``preview`` shows the changes with their diff and changes nothing; ``up`` applies them;
``refresh`` reads each flow's real status into the state (a flow stopped outside Pulumi then
shows as ``desiredStatus: "STANDBY" => "ACTIVE"``, and the next ``up`` starts it again);
``destroy`` applies each resource's ``onDelete``.
"""

import argparse
import os
import sys
from typing import Callable, Dict

import pulumi
import pulumi_huaweicloud_medialive as medialive
from pulumi import automation as auto

# The name in this folder's Pulumi.yaml, which the workspace reads.
PROJECT_NAME = "medialive-python"


def pulumi_program() -> None:
    """Declares the two flows' running state, and a new flow."""
    config = pulumi.Config()

    # The default provider: region, project and credentials from huaweicloud-medialive:*.
    primary = medialive.FlowActivation(
        "primary",
        flow_id=config.require("flowId"),
        # A plain string from config: the provider checks it (ACTIVE or STANDBY).
        desired_status=config.get("desiredStatus") or medialive.DesiredStatus.ACTIVE,
        on_delete=medialive.OnDelete.STOP,
    )

    # An explicit provider for the second region, with its own project and credentials.
    backup_provider = medialive.Provider(
        "backupProvider",
        region=config.require("backupRegion"),
        project_id=config.require("backupProjectId"),
        endpoint=config.get("backupEndpoint") or None,
        access_key=config.require_secret("backupAccessKey"),
        secret_key=config.require_secret("backupSecretKey"),
    )
    backup = medialive.FlowActivation(
        "backup",
        flow_id=config.require("backupFlowId"),
        desired_status=medialive.DesiredStatus.ACTIVE,
        # Destroying the stack puts the backup flow back the way it was found.
        on_delete=medialive.OnDelete.RESTORE,
        opts=pulumi.ResourceOptions(provider=backup_provider),
    )

    # A new flow in the stack config's region: one SRT source the studio encoder pushes to, and
    # one output the monitoring wall pulls from (the API assigns both listener addresses).
    channel = medialive.Flow(
        "channel",
        name=f"channel-{pulumi.get_stack()}",
        sources={
            "studio": medialive.FlowSourceArgs(
                protocol=medialive.SrtProtocol.SRT_LISTENER,
                min_latency=1200,
                cidr_whitelist=["198.51.100.0/24"],
            )
        },
        outputs={
            "monitoring": medialive.FlowOutputArgs(
                protocol=medialive.SrtProtocol.SRT_LISTENER,
                min_latency=500,
                cidr_whitelist=["10.20.0.0/16"],
            )
        },
    )

    pulumi.export("primaryStatus", primary.status)
    pulumi.export("primaryRegion", primary.region)
    pulumi.export("backupStatus", backup.status)
    pulumi.export("backupRegion", backup.region)
    pulumi.export("channelFlowId", channel.flow_id)
    pulumi.export(
        "monitoringAddress",
        channel.output_endpoints.apply(
            lambda endpoints: f"{endpoints['monitoring'].address}:{endpoints['monitoring'].port}"
        ),
    )


def select_stack(stack_name: str) -> auto.Stack:
    """Selects (or creates) the stack of the project in the current folder."""
    return auto.create_or_select_stack(
        stack_name=stack_name,
        project_name=PROJECT_NAME,
        program=pulumi_program,
        opts=auto.LocalWorkspaceOptions(work_dir=os.getcwd()),
    )


def print_error(line: str) -> None:
    """Streams the CLI's stderr (its diagnostics) as it comes."""
    print(line, file=sys.stderr)


def preview(stack: auto.Stack) -> None:
    """Shows what an up would change, with the diff; makes no change and no API call."""
    stack.preview(diff=True, on_output=print, on_error=print_error)


def up(stack: auto.Stack) -> None:
    """Applies the program and prints the stack outputs (secrets masked)."""
    result = stack.up(on_output=print, on_error=print_error)
    for name, output in sorted(result.outputs.items()):
        print(f"output {name}: {'[secret]' if output.secret else output.value}")


def refresh(stack: auto.Stack) -> None:
    """Reads each flow's real status into the state."""
    stack.refresh(on_output=print, on_error=print_error)


def destroy(stack: auto.Stack) -> None:
    """Deletes the resources, applying each one's onDelete."""
    stack.destroy(on_output=print, on_error=print_error)


COMMANDS: Dict[str, Callable[[auto.Stack], None]] = {
    "preview": preview,
    "up": up,
    "refresh": refresh,
    "destroy": destroy,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="medialive-python",
        description="Run this folder's Pulumi stack (config: pulumi config set).",
    )
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--stack", default="dev", help="the stack to run (default dev)")
    arguments = parser.parse_args()
    try:
        stack = select_stack(arguments.stack)
    except auto.CommandError as error:
        print(f"medialive-python: cannot select stack {arguments.stack}: {error}", file=sys.stderr)
        return 1
    try:
        COMMANDS[arguments.command](stack)
    except auto.CommandError:
        # The CLI's output and its error have been streamed above: say only what failed.
        print(
            f"medialive-python: {arguments.command} failed (see the error above)", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
