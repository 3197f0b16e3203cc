"""A second stack that uses another stack's import job through a StackReference.

Set `producer` to the producing stack's fully qualified name; on a file backend that is
`organization/<project>/<stack>`, e.g. `organization/cognito-user-import/dev`.
"""

import pulumi

producer = pulumi.StackReference(pulumi.Config().require("producer"))
job_id = producer.require_output("jobId")
url = producer.require_output("preSignedUrl")  # stays secret: it is secret in the producer

pulumi.export("jobId", job_id)
pulumi.export(
    "uploadCommand",
    pulumi.Output.secret(
        pulumi.Output.concat(
            'curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "', url, '"'
        )
    ),
)
