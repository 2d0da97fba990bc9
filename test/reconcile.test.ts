import { expect } from "chai";
import { UNKNOWN_VALUE } from "../resources/flowActivation/inputs";
import {
  deleteTarget,
  diffActivation,
  inputsAfterRefresh,
  transitionFor,
  type FlowActivationState,
} from "../resources/flowActivation/reconcile";

const ENDPOINT = "https://live.ap-southeast-3.myhuaweicloud.com";
const TIMEOUTS = { create: "5m", update: "5m", delete: "5m" };

const stored: FlowActivationState = {
  flowId: "flow-1",
  desiredStatus: "ACTIVE",
  status: "ACTIVE",
  flowName: "news",
  projectId: "project-a",
  region: "ap-southeast-3",
  endpoint: ENDPOINT,
  onDelete: "stop",
  timeouts: TIMEOUTS,
  statusBeforeActivation: "STANDBY",
  settingSources: { projectId: "config", region: "config", endpoint: "region" },
};

const sameInputs = {
  flowId: "flow-1",
  desiredStatus: "ACTIVE",
  onDelete: "stop",
  timeouts: TIMEOUTS,
};
const sameLocation = { projectId: "project-a", endpoint: ENDPOINT };

describe("reconcile decisions", () => {
  describe("diffActivation", () => {
    const table: [
      string,
      Partial<FlowActivationState>,
      Record<string, unknown>,
      { projectId?: string; endpoint?: string },
      { changes: boolean; replaces: string[]; changed: string[] },
    ][] = [
      [
        "nothing changed",
        stored,
        sameInputs,
        sameLocation,
        { changes: false, replaces: [], changed: [] },
      ],
      [
        "only the provider code changed",
        stored,
        { ...sameInputs, __provider: "new code" },
        sameLocation,
        { changes: false, replaces: [], changed: [] },
      ],
      [
        "desiredStatus changed",
        stored,
        { ...sameInputs, desiredStatus: "STANDBY" },
        sameLocation,
        { changes: true, replaces: [], changed: ["desiredStatus"] },
      ],
      [
        "drift found by refresh",
        { ...stored, status: "STANDBY" },
        sameInputs,
        sameLocation,
        { changes: true, replaces: [], changed: ["status"] },
      ],
      [
        "an undocumented observed status",
        { ...stored, status: "STARTING" },
        sameInputs,
        sameLocation,
        { changes: true, replaces: [], changed: ["status"] },
      ],
      [
        "onDelete changed",
        stored,
        { ...sameInputs, onDelete: "leave" },
        sameLocation,
        { changes: true, replaces: [], changed: ["onDelete"] },
      ],
      [
        "timeouts changed",
        stored,
        { ...sameInputs, timeouts: { ...TIMEOUTS, create: "10m" } },
        sameLocation,
        { changes: true, replaces: [], changed: ["timeouts"] },
      ],
      [
        "flowId changed",
        stored,
        { ...sameInputs, flowId: "flow-2" },
        sameLocation,
        { changes: true, replaces: ["flowId"], changed: ["flowId"] },
      ],
      [
        "project changed in config",
        stored,
        sameInputs,
        { ...sameLocation, projectId: "project-b" },
        { changes: true, replaces: ["projectId"], changed: ["projectId"] },
      ],
      [
        "region changed (default endpoint moves)",
        stored,
        sameInputs,
        { ...sameLocation, endpoint: "https://live.cn-north-4.myhuaweicloud.com" },
        { changes: true, replaces: ["region"], changed: ["region"] },
      ],
      [
        "endpoint input changed",
        stored,
        { ...sameInputs, endpoint: "http://127.0.0.1:9" },
        { ...sameLocation, endpoint: "http://127.0.0.1:9" },
        { changes: true, replaces: ["endpoint"], changed: ["endpoint"] },
      ],
      [
        "location not resolvable offline",
        stored,
        sameInputs,
        {},
        { changes: false, replaces: [], changed: [] },
      ],
      [
        "flowId unknown during preview",
        stored,
        { ...sameInputs, flowId: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["flowId"], changed: ["flowId"] },
      ],
      [
        "desiredStatus unknown during preview",
        stored,
        { ...sameInputs, desiredStatus: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: [], changed: ["desiredStatus"] },
      ],
      [
        "flowId unknown while the stored id reads like the sentinel",
        { ...stored, flowId: UNKNOWN_VALUE },
        { ...sameInputs, flowId: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["flowId"], changed: ["flowId"] },
      ],
      [
        "projectId unknown during preview",
        stored,
        { ...sameInputs, projectId: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["projectId"], changed: ["projectId"] },
      ],
      [
        "endpoint unknown during preview",
        stored,
        { ...sameInputs, endpoint: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["endpoint"], changed: ["endpoint"] },
      ],
      [
        "region unknown during preview",
        stored,
        { ...sameInputs, region: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["region"], changed: ["region"] },
      ],
      [
        "endpoint and region both unknown",
        stored,
        { ...sameInputs, region: UNKNOWN_VALUE, endpoint: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: ["endpoint"], changed: ["endpoint"] },
      ],
      [
        "endpoint changed in config",
        { ...stored, settingSources: { ...stored.settingSources, endpoint: "config" } },
        sameInputs,
        { ...sameLocation, endpoint: "https://proxy.example.com/live" },
        { changes: true, replaces: ["endpoint"], changed: ["endpoint"] },
      ],
      [
        "endpoint moved for a state without setting sources",
        { ...stored, settingSources: undefined },
        sameInputs,
        { ...sameLocation, endpoint: "https://live.cn-north-4.myhuaweicloud.com" },
        { changes: true, replaces: ["endpoint"], changed: ["endpoint"] },
      ],
      [
        "onDelete unknown during preview",
        stored,
        { ...sameInputs, onDelete: UNKNOWN_VALUE },
        sameLocation,
        { changes: true, replaces: [], changed: ["onDelete"] },
      ],
      [
        "everything changed at once",
        { ...stored, status: "STANDBY" },
        {
          flowId: "flow-2",
          desiredStatus: "STANDBY",
          projectId: "project-b",
          endpoint: "http://127.0.0.1:9",
          onDelete: "restore",
          timeouts: { ...TIMEOUTS, delete: "1m" },
        },
        { projectId: "project-b", endpoint: "http://127.0.0.1:9" },
        {
          changes: true,
          replaces: ["flowId", "projectId", "endpoint"],
          changed: ["flowId", "projectId", "endpoint", "desiredStatus", "onDelete", "timeouts"],
        },
      ],
      [
        "neither state nor inputs hold timeouts",
        { ...stored, timeouts: undefined },
        { ...sameInputs, timeouts: undefined },
        sameLocation,
        { changes: false, replaces: [], changed: [] },
      ],
    ];
    for (const [name, olds, news, location, expected] of table) {
      it(name, () => {
        const decision = diffActivation(olds, news, location);
        expect({
          changes: decision.changes,
          replaces: decision.replaces,
          changed: decision.changedProperties,
        }).to.deep.equal(expected);
        expect(decision.deleteBeforeReplace).to.equal(expected.replaces.length > 0);
      });
    }
  });

  describe("transitionFor", () => {
    it("calls nothing at the target, start or stop otherwise", () => {
      expect(transitionFor("ACTIVE", "ACTIVE")).to.equal(undefined);
      expect(transitionFor("STANDBY", "STANDBY")).to.equal(undefined);
      expect(transitionFor("STANDBY", "ACTIVE")).to.equal("start");
      expect(transitionFor("ACTIVE", "STANDBY")).to.equal("stop");
      expect(transitionFor("STARTING", "ACTIVE")).to.equal("start");
    });
  });

  describe("deleteTarget", () => {
    it("follows onDelete", () => {
      expect(deleteTarget({ onDelete: "stop", statusBeforeActivation: "ACTIVE" })).to.equal(
        "STANDBY",
      );
      expect(deleteTarget({ onDelete: "leave", statusBeforeActivation: "STANDBY" })).to.equal(
        undefined,
      );
      expect(deleteTarget({ onDelete: "restore", statusBeforeActivation: "STANDBY" })).to.equal(
        "STANDBY",
      );
      expect(deleteTarget({ onDelete: "restore", statusBeforeActivation: "ACTIVE" })).to.equal(
        "ACTIVE",
      );
      expect(deleteTarget({ onDelete: "restore", statusBeforeActivation: "STARTING" })).to.equal(
        undefined,
      );
    });
  });

  describe("inputsAfterRefresh", () => {
    it("reports the observed status as desiredStatus and only the settings given as inputs", () => {
      expect(inputsAfterRefresh({ ...stored, status: "STANDBY" })).to.deep.equal({
        flowId: "flow-1",
        desiredStatus: "STANDBY",
        onDelete: "stop",
        timeouts: TIMEOUTS,
      });
      expect(
        inputsAfterRefresh({
          ...stored,
          settingSources: { projectId: "input", region: "flow", endpoint: "input" },
        }),
      ).to.deep.equal({
        flowId: "flow-1",
        desiredStatus: "ACTIVE",
        onDelete: "stop",
        timeouts: TIMEOUTS,
        projectId: "project-a",
        endpoint: ENDPOINT,
      });
    });
    it("reports an observed ACTIVE over a declared STANDBY, and a region given as input", () => {
      expect(
        inputsAfterRefresh({
          ...stored,
          desiredStatus: "STANDBY",
          status: "ACTIVE",
          settingSources: { projectId: "config", region: "input", endpoint: "config" },
        }),
      ).to.deep.equal({
        flowId: "flow-1",
        desiredStatus: "ACTIVE",
        onDelete: "stop",
        timeouts: TIMEOUTS,
        region: "ap-southeast-3",
      });
    });
    it("keeps the declared status when the observed one is undocumented", () => {
      expect(inputsAfterRefresh({ ...stored, status: "STARTING" }).desiredStatus).to.equal(
        "ACTIVE",
      );
    });
  });
});
