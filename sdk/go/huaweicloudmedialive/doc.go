// Declare a Huawei Cloud Media Live flow's running state (ACTIVE or STANDBY) as code, from any Pulumi language.
package huaweicloudmedialive
