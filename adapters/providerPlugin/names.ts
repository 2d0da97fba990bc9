/**
 * The provider plugin's names, in one place: its Pulumi package, the tokens it serves, the config
 * namespace and the files of its plugin directory.
 *
 * The config namespace is the package's own name, as for every Pulumi provider: the engine gives a
 * default provider the stack config under `<package>:` only (`huaweicloud-medialive:region`, …),
 * never the `huaweicloud:` keys the dynamic resource reads, so those are renamed here once, for
 * docs and error messages alike ({@link pluginConfigKeys}).
 */
import { SETTINGS } from "../../settings/settings";

/** The Pulumi package (and plugin) name: `pulumi-resource-huaweicloud-medialive`. */
export const PACKAGE_NAME = "huaweicloud-medialive";

/** The resource token of FlowActivation. */
export const FLOW_ACTIVATION_TOKEN = `${PACKAGE_NAME}:index:FlowActivation`;

/** The resource token of Flow. */
export const FLOW_TOKEN = `${PACKAGE_NAME}:index:Flow`;

/** The executable the engine runs (`pulumi-resource-<package>`). */
export const PLUGIN_EXECUTABLE = `pulumi-resource-${PACKAGE_NAME}`;

/** The name of a setting (a key of `SETTINGS`), which is also its provider config property. */
export type SettingName = keyof typeof SETTINGS;

/** Every setting, in the order of `SETTINGS`. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/**
 * The stack config key of a setting for this plugin's default provider.
 *
 * @param name - the setting
 */
export function pluginConfigKey(name: SettingName): string {
  return `${PACKAGE_NAME}:${name}`;
}

const SETTING_BY_DYNAMIC_KEY: ReadonlyMap<string, SettingName> = new Map(
  SETTING_NAMES.map((name) => [SETTINGS[name].configKey, name]),
);

/**
 * The setting a dynamic-resource config key (`huaweicloud:liveEndpoint`) stands for.
 *
 * @param configKey - a key of the form `huaweicloud:<name>`
 */
export function settingOfConfigKey(configKey: string): SettingName | undefined {
  return SETTING_BY_DYNAMIC_KEY.get(configKey);
}

/**
 * Renames the dynamic resource's config keys in a text (a doc comment, an error message) to this
 * plugin's: `huaweicloud:liveEndpoint` becomes `huaweicloud-medialive:endpoint`. Other text stays.
 *
 * @param text - text that may name `huaweicloud:<key>` config keys
 */
export function pluginConfigKeys(text: string): string {
  return text.replace(/\bhuaweicloud:[A-Za-z]+\b/g, (key) => {
    const name = settingOfConfigKey(key);
    return name === undefined ? key : pluginConfigKey(name);
  });
}
