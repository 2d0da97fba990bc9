// Declare Huawei Cloud Media Live flows (their SRT sources and outputs) and their running state (ACTIVE or STANDBY) as code, from any Pulumi language.
package huaweicloudmedialive
