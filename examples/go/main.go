// Command medialive-go keeps two Huawei Cloud Media Live flows running with the huaweicloud-medialive
// provider plugin, from Go: one in the region of the stack config (the default provider, configured
// from huaweicloud-medialive:*), and a backup in a second region through an explicit provider with
// its own region, project and credentials. A third flow, with one SRT source and one output, is
// created in the first region.
//
// The program runs as a Pulumi Automation API inline program: this process serves the program to
// the pulumi CLI, so no Go language host is needed (Pulumi's is not installable everywhere). Run it
// in this folder, whose Pulumi.yaml names the project and declares its config:
//
//	go run . [-stack dev] preview|up|refresh|destroy
//
// preview shows the changes with their diff and changes nothing; up applies them; refresh reads
// each flow's real status into the state (a flow stopped outside Pulumi then shows as
// desiredStatus "STANDBY" => "ACTIVE", and the next up starts it again); destroy applies each
// resource's onDelete.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	medialive "pulumi-huaweicloud-medialive/sdk/go/huaweicloudmedialive"
)

// projectName is the name in this folder's Pulumi.yaml, which the workspace reads.
const projectName = "medialive-go"

// program declares the two flows' running state, and a new flow.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	// The default provider: region, project and credentials from huaweicloud-medialive:*.
	desiredStatus := cfg.Get("desiredStatus")
	if desiredStatus == "" {
		desiredStatus = string(medialive.DesiredStatusACTIVE)
	}
	primary, err := medialive.NewFlowActivation(ctx, "primary", &medialive.FlowActivationArgs{
		FlowId: pulumi.String(cfg.Require("flowId")),
		// A plain string from config: the provider checks it (ACTIVE or STANDBY).
		DesiredStatus: medialive.DesiredStatus(desiredStatus),
		OnDelete:      medialive.OnDeleteStop,
	})
	if err != nil {
		return err
	}

	// An explicit provider for the second region, with its own project and credentials.
	backupArgs := &medialive.ProviderArgs{
		Region:    pulumi.String(cfg.Require("backupRegion")),
		ProjectId: pulumi.String(cfg.Require("backupProjectId")),
		AccessKey: cfg.RequireSecret("backupAccessKey"),
		SecretKey: cfg.RequireSecret("backupSecretKey"),
	}
	if endpoint := cfg.Get("backupEndpoint"); endpoint != "" {
		backupArgs.Endpoint = pulumi.String(endpoint)
	}
	backupProvider, err := medialive.NewProvider(ctx, "backupProvider", backupArgs)
	if err != nil {
		return err
	}
	backup, err := medialive.NewFlowActivation(ctx, "backup", &medialive.FlowActivationArgs{
		FlowId:        pulumi.String(cfg.Require("backupFlowId")),
		DesiredStatus: medialive.DesiredStatusACTIVE,
		// Destroying the stack puts the backup flow back the way it was found.
		OnDelete: medialive.OnDeleteRestore,
	}, pulumi.Provider(backupProvider))
	if err != nil {
		return err
	}

	// A new flow in the stack config's region: one SRT source the studio encoder pushes to, and one
	// output the monitoring wall pulls from (the API assigns both listener addresses).
	channel, err := medialive.NewFlow(ctx, "channel", &medialive.FlowArgs{
		Name: pulumi.String("channel-" + ctx.Stack()),
		Sources: medialive.FlowSourceMap{
			"studio": medialive.FlowSourceArgs{
				Protocol:      medialive.SrtProtocol_Srt_Listener,
				MinLatency:    pulumi.Int(1200),
				CidrWhitelist: pulumi.StringArray{pulumi.String("198.51.100.0/24")},
			},
		},
		Outputs: medialive.FlowOutputTypeMap{
			"monitoring": medialive.FlowOutputTypeArgs{
				Protocol:      medialive.SrtProtocol_Srt_Listener,
				MinLatency:    pulumi.Int(500),
				CidrWhitelist: pulumi.StringArray{pulumi.String("10.20.0.0/16")},
			},
		},
	})
	if err != nil {
		return err
	}

	ctx.Export("primaryStatus", primary.Status)
	ctx.Export("primaryRegion", primary.Region)
	ctx.Export("backupStatus", backup.Status)
	ctx.Export("backupRegion", backup.Region)
	ctx.Export("channelFlowId", channel.FlowId)
	ctx.Export("monitoringAddress", channel.OutputEndpoints.ApplyT(
		func(endpoints map[string]medialive.OutputEndpoint) string {
			monitoring := endpoints["monitoring"]
			return fmt.Sprintf("%s:%d", monitoring.Address, monitoring.Port)
		}).(pulumi.StringOutput))
	return nil
}

func main() {
	stackName := flag.String("stack", "dev", "the stack to run")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(),
			"Usage: %s [-stack NAME] preview|up|refresh|destroy\n\n"+
				"Run it in the folder of Pulumi.yaml; the stack's config is set with pulumi config set.\n",
			os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *stackName, flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "medialive-go: %v\n", err)
		os.Exit(1)
	}
}

// commands are what run can do.
var commands = map[string]func(context.Context, auto.Stack) error{
	"preview": func(ctx context.Context, stack auto.Stack) error {
		_, err := stack.Preview(ctx, optpreview.Diff(), optpreview.ProgressStreams(os.Stdout),
			optpreview.ErrorProgressStreams(os.Stderr))
		return err
	},
	"up": func(ctx context.Context, stack auto.Stack) error {
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout), optup.ErrorProgressStreams(os.Stderr))
		if err == nil {
			printOutputs(result.Outputs)
		}
		return err
	},
	"refresh": func(ctx context.Context, stack auto.Stack) error {
		_, err := stack.Refresh(ctx, optrefresh.ProgressStreams(os.Stdout),
			optrefresh.ErrorProgressStreams(os.Stderr))
		return err
	},
	"destroy": func(ctx context.Context, stack auto.Stack) error {
		_, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout),
			optdestroy.ErrorProgressStreams(os.Stderr))
		return err
	},
}

// run selects (or creates) the stack of the project in the current folder and runs one command
// on it, streaming the CLI's output to stdout and its errors to stderr.
func run(ctx context.Context, stackName, command string) error {
	runCommand, known := commands[command]
	if !known {
		return fmt.Errorf("unknown command %q (expected preview, up, refresh or destroy)", command)
	}
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, projectName, program, auto.WorkDir(workDir))
	if err != nil {
		return fmt.Errorf("cannot select stack %s: %w", stackName, err)
	}
	if err := runCommand(ctx, stack); err != nil {
		// The CLI's output, its error included, has been streamed already; the Automation API's
		// error repeats all of it.
		return fmt.Errorf("%s failed (see the error above)", command)
	}
	return nil
}

// printOutputs prints the stack outputs one a line, secrets masked.
func printOutputs(outputs auto.OutputMap) {
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		value := outputs[name]
		if value.Secret {
			fmt.Printf("output %s: [secret]\n", name)
		} else {
			fmt.Printf("output %s: %v\n", name, value.Value)
		}
	}
}
