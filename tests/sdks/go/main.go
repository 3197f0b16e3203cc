// A Go program using CognitoUserImport through the SDK generated from the plugin's schema.
// The test suite builds it (`go build`); Pulumi's Go language host, which would run it,
// can't be fetched on the build machine.
package main

import (
	"github.com/cognito-user-import/sdk/go/cognitouserimport"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		conf := config.New(ctx, "")
		users, err := cognitouserimport.NewCognitoUserImport(ctx, "users", &cognitouserimport.CognitoUserImportArgs{
			UserPoolId:            pulumi.String(conf.Require("userPoolId")),
			JobName:               pulumi.String("from go"),
			CloudWatchLogsRoleArn: pulumi.StringPtr(conf.Get("cloudWatchLogsRoleArn")),
			CsvFile:               pulumi.StringPtr("users.csv"),
			Start:                 pulumi.BoolPtr(true),
			Wait:                  pulumi.BoolPtr(true),
		})
		if err != nil {
			return err
		}
		ctx.Export("jobId", users.JobId)
		ctx.Export("status", users.Status)
		ctx.Export("importedUsers", users.ImportedUsers)
		ctx.Export("preSignedUrl", pulumi.ToSecret(users.PreSignedUrl))
		return nil
	})
}
