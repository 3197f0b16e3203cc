// A TypeScript program using CognitoUserImport through the SDK generated from the plugin's
// schema. The test suite type-checks it (`tsc --noEmit`); Pulumi's Node.js language host,
// which would run it, can't be fetched on the build machine.
import * as pulumi from "@pulumi/pulumi";
import { CognitoUserImport } from "cognito-user-import";

const config = new pulumi.Config();
const users = new CognitoUserImport("users", {
    userPoolId: config.require("userPoolId"),
    jobName: "from typescript",
    cloudWatchLogsRoleArn: config.get("cloudWatchLogsRoleArn"),
    csvFile: "users.csv",
    start: true,
    wait: true,
    waitTimeoutSeconds: 900,
});

export const jobId: pulumi.Output<string | undefined> = users.jobId;
export const status: pulumi.Output<string> = users.status;
export const importedUsers: pulumi.Output<number> = users.importedUsers;
export const preSignedUrl = pulumi.secret(users.preSignedUrl);
