package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/cognito-user-import/cognito-user-import/terraform/internal/plugin"
)

// The data source reads a job by pool and job ID, as `terraform import` does, through the
// plugin's read by id: the request Cognito recorded, the status, the counters and the outcome.
type jobDataSource struct{ client *client }

func newJobDataSource() datasource.DataSource { return &jobDataSource{} }

var _ datasource.DataSourceWithConfigure = &jobDataSource{}

// described is each attribute's description (docs/terraform/data-sources/job.md says the same,
// held to it by tests/test_terraform.py).
var described = map[string]string{
	"user_pool_id":               "Required. The job's user pool.",
	"job_id":                     "Required. The job's ID (`import-...`).",
	"id":                         "`<user_pool_id>/<job_id>`.",
	"job_name":                   "The job's name.",
	"cloud_watch_logs_role_arn":  "The role Cognito writes the job's log with.",
	"password_hashing_algorithm": "The hashing algorithm the job was created with, if any.",
	"pre_signed_url":             "The job's upload URL: a credential for 15 minutes after the job was created.",
	"status":                     "`Created`, `Pending`, `InProgress`, `Stopping`, `Expired`, `Stopped`, `Failed` or `Succeeded`.",
	"creation_date":              "When the job was created.",
	"start_date":                 "When the job started.",
	"completion_date":            "When the job ended.",
	"completion_message":         "Cognito's message at the end.",
	"imported_users":             "Users imported.",
	"skipped_users":              "Users skipped.",
	"failed_users":               "Users that failed.",
	"log_group_name":             "The CloudWatch log group of the job's log.",
	"log_stream_name":            "The CloudWatch log stream of the job's log.",
	"jobs":                       "The job, as the resource lists an import's jobs.",
	"outcome":                    "What became of every line, once the job has ended.",
}

// found is what Cognito knows of a job besides the outputs: its request.
var found = []string{"job_name", "cloud_watch_logs_role_arn", "password_hashing_algorithm"}

func (d *jobDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_job"
}

func (d *jobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"user_pool_id": schema.StringAttribute{Required: true, Description: described["user_pool_id"]},
		"job_id":       schema.StringAttribute{Required: true, Description: described["job_id"]},
		"id":           schema.StringAttribute{Computed: true, Description: described["id"]},
	}
	for _, name := range found {
		attributes[name] = schema.StringAttribute{Computed: true, Description: described[name]}
	}
	for name, attribute := range outputs {
		if name == "job_id" || name == "content_sha256" || name == "export" {
			continue // given, or known only to the resource that imported
		}
		attributes[name] = dataAttribute(attribute, described[name])
	}
	resp.Schema = schema.Schema{
		Description: "An existing Cognito user import job, read by pool and job ID.",
		Attributes:  attributes,
	}
}

func (d *jobDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	if c, ok := req.ProviderData.(*client); ok {
		d.client = c
	}
}

func (d *jobDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.client == nil {
		resp.Diagnostics.AddError("The provider is not configured", "data.cognitouserimport_job needs its provider.")
		return
	}
	var pool, jobID string
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("user_pool_id"), &pool)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_id"), &jobID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	job, err := d.client.job(ctx)
	if err != nil {
		resp.Diagnostics.AddError("The cognito-user-import plugin did not start", err.Error())
		return
	}
	defer say(ctx, job, &resp.Diagnostics, true)
	id := pool + "/" + jobID
	gone, outs, given, err := job.Read(ctx, TypeName, id, plugin.Properties{settingsInput: d.client.settings})
	if err != nil {
		resp.Diagnostics.AddError("Could not read the job "+id, err.Error())
		return
	}
	if gone == "" {
		resp.Diagnostics.AddAttributeError(path.Root("job_id"), "No such job",
			"The pool "+pool+" has no import job "+jobID+" (or the pool itself is gone).")
		return
	}
	resp.State.Raw = req.Config.Raw.Copy()
	values := outs
	for name, value := range given {
		values[name] = value
	}
	values["id"] = id
	for name := range resp.State.Schema.GetAttributes() {
		if name == "user_pool_id" || name == "job_id" {
			continue
		}
		value := values[name]
		if _, structured := outputs[name].(rschema.DynamicAttribute); structured {
			value = plugin.SnakeKeys(value)
		}
		if err := setAttribute(ctx, &resp.State, name, value); err != nil {
			resp.Diagnostics.AddError("Could not record "+name, err.Error())
		}
	}
}

// dataAttribute is a resource output as a data source's attribute.
func dataAttribute(a rschema.Attribute, description string) schema.Attribute {
	switch a.(type) {
	case rschema.Int64Attribute:
		return schema.Int64Attribute{Computed: true, Description: description}
	case rschema.DynamicAttribute:
		return schema.DynamicAttribute{Computed: true, Description: description}
	}
	return schema.StringAttribute{Computed: true, Sensitive: a.IsSensitive(), Description: description}
}
