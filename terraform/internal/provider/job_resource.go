package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cognito-user-import/cognito-user-import/terraform/internal/plugin"
)

// The job's inputs and outputs, by the names the plugin gives them (fields.Input and
// fields.Output; tests/test_terraform.py holds these lists to those).
var (
	inputs = map[string]schema.Attribute{
		"user_pool_id":               in("Required. The user pool the users are imported into."),
		"job_name":                   in("Required. The job's name; the import's jobs are named `<job_name> @<marker>`, by which an interrupted import is found again."),
		"cloud_watch_logs_role_arn":  in("Required. The role Cognito writes the job's CloudWatch log with."),
		"password_hashing_algorithm": in("The hashing algorithm of the CSV's passwords, for an import with password hashes."),
		"csv_file":                   in("The CSV of users to import, in the pool's header; a path relative to the working directory."),
		"users": schema.ListAttribute{
			Optional: true, Sensitive: true,
			ElementType: types.MapType{ElemType: types.StringType},
			Description: "Users declared in the configuration instead of `csv_file`.",
		},
		"source_user_pool_id": in("A pool to copy users from, instead of `csv_file` or `users`."),
		"source_region":       in("The source pool's region, when it is not the one its ID begins with."),
		"copy_trigger":        in("Any value whose change runs a new copy."),
		"start": schema.BoolAttribute{
			Optional: true, Description: "Start the job once the users are uploaded. Default false: the job waits in `Created`.",
		},
		"wait": schema.BoolAttribute{
			Optional: true, Description: "Wait during apply for the import to end, and read its outcome. Default false; needs `start`.",
		},
		"wait_timeout_seconds": schema.NumberAttribute{
			Optional: true, Description: "How long apply waits (default 1800); past it, apply fails naming the job, and the next apply goes on.",
		},
		"rows_per_job": schema.Int64Attribute{
			Optional: true, Description: "Split the users into jobs of at most this many rows.",
		},
		"max_failed_users": schema.Int64Attribute{
			Optional: true, Description: "Apply fails when more users than this fail to import.",
		},
		"outcome_file": in("A file to write every failed or skipped line to, for a retry."),
	}
	outputs = map[string]schema.Attribute{
		"content_sha256": schema.StringAttribute{
			Computed: true, Sensitive: true,
			Description: "The SHA-256 of the users imported: a change of content replaces the job.",
		},
		"job_id":             out("The import's (first) job's ID."),
		"pre_signed_url":     schema.StringAttribute{Computed: true, Sensitive: true, Description: "The URL the users were uploaded to: a credential for 15 minutes."},
		"status":             out("`Created`, `Pending`, `InProgress`, `Stopping`, `Expired`, `Stopped`, `Failed` or `Succeeded`."),
		"creation_date":      out("When the job was created."),
		"start_date":         out("When the job started."),
		"completion_date":    out("When the job ended."),
		"completion_message": out("Cognito's message at the end."),
		"imported_users":     count("Users imported, over the import's jobs."),
		"skipped_users":      count("Users skipped, over the import's jobs."),
		"failed_users":       count("Users that failed, over the import's jobs."),
		"log_group_name":     out("The CloudWatch log group of the job's log."),
		"log_stream_name":    out("The CloudWatch log stream of the (first) job's log."),
		"jobs":               dynamic("Every job of the import: `job_id`, `job_name`, `status`, the counters, `first_line`."),
		"outcome":            dynamic("What became of every line, read from CloudWatch Logs after the wait: `by_status`, `by_reason`, `first_problems`, `lines`, `complete`, `notes`."),
		"export":             dynamic("What a copy read from the source and left out, by reason."),
	}
)

func in(description string) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Description: description}
}

func out(description string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, Description: description}
}

func count(description string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, Description: description}
}

func dynamic(description string) schema.DynamicAttribute {
	return schema.DynamicAttribute{Computed: true, Description: description}
}

const settingsInput = "aws_settings"

type jobResource struct{ client *client }

func newJobResource() resource.Resource { return &jobResource{} }

var (
	_ resource.ResourceWithModifyPlan  = &jobResource{}
	_ resource.ResourceWithImportState = &jobResource{}
	_ resource.ResourceWithConfigure   = &jobResource{}
)

func (r *jobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_job"
}

func (r *jobResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true, Description: "`<user_pool_id>/<job_id>`, as `terraform import` takes it.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
	}
	for name, attribute := range inputs {
		attributes[name] = attribute
	}
	for name, attribute := range outputs {
		attributes[name] = attribute
	}
	resp.Schema = schema.Schema{
		Description: "A Cognito user import job: apply creates it, uploads the users, starts it and " +
			"waits for it; destroy stops a job still running (Cognito deletes no job).",
		Attributes: attributes,
	}
}

func (r *jobResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if c, ok := req.ProviderData.(*client); ok {
		r.client = c
	}
}

// props reads a whole Terraform object (config, plan or state) into properties, the names
// in `only` when given, the provider's AWS settings beside them.
func (r *jobResource) props(raw tftypes.Value, only map[string]schema.Attribute) (plugin.Properties, error) {
	value, err := plugin.FromTerraform(raw)
	if err != nil {
		return nil, err
	}
	fields, _ := value.(map[string]any)
	props := plugin.Properties{}
	for name, v := range fields {
		if _, wanted := only[name]; only == nil || wanted {
			props[name] = v
		}
	}
	props[settingsInput] = r.client.settings
	delete(props, "id")
	return props, nil
}

// ModifyPlan is `pulumi preview` for Terraform: the plugin checks the inputs (the CSV
// against the pool, the settings) and judges the change, before any AWS call that changes
// anything; a broken rule fails the plan naming the attribute and the line and column.
func (r *jobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil {
		return // destroy, or validation before the provider is configured
	}
	job, err := r.client.job(ctx)
	if err != nil {
		resp.Diagnostics.AddError("The cognito-user-import plugin did not start", err.Error())
		return
	}
	defer say(ctx, job, &resp.Diagnostics, true)
	news, err := r.props(req.Config.Raw, inputs)
	olds := plugin.Properties{}
	if err == nil && !req.State.Raw.IsNull() {
		olds, err = r.props(req.State.Raw, nil)
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read the job's attributes", err.Error())
		return
	}
	checked, ok := r.check(ctx, job, olds, news, &resp.Diagnostics)
	if !ok {
		return
	}
	digest := checked["content_sha256"]
	if err := setAttribute(ctx, &resp.Plan, "content_sha256", digest); err != nil {
		resp.Diagnostics.AddError("Could not plan content_sha256", err.Error())
		return
	}
	if req.State.Raw.IsNull() {
		return
	}
	changes, replaces, err := job.Diff(ctx, TypeName, stateID(ctx, req.State, &resp.Diagnostics), olds, checked)
	if err != nil {
		resp.Diagnostics.AddError("The plugin could not compare the job with its configuration", err.Error())
		return
	}
	for _, name := range replaces {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root(name))
	}
	if !changes { // nothing to do: the outputs stay as they are, and the plan is empty
		for name := range outputs {
			resp.Diagnostics.Append(kept(ctx, req.State, &resp.Plan, name)...)
		}
	}
}

// kept plans an output as the state holds it, exactly.
func kept(ctx context.Context, state tfsdk.State, plan *tfsdk.Plan, name string) diag.Diagnostics {
	typ, diags := state.Schema.TypeAtPath(ctx, path.Root(name))
	if diags.HasError() {
		return diags
	}
	raw, _, err := tftypes.WalkAttributePath(state.Raw, tftypes.NewAttributePath().WithAttributeName(name))
	if err != nil {
		diags.AddError("Could not plan "+name, err.Error())
		return diags
	}
	value, err := typ.ValueFromTerraform(ctx, raw.(tftypes.Value))
	if err != nil {
		diags.AddError("Could not plan "+name, err.Error())
		return diags
	}
	return plan.SetAttribute(ctx, path.Root(name), value)
}

// check runs the plugin's Check, each failure an error on its attribute; the checked inputs.
func (r *jobResource) check(ctx context.Context, job *plugin.Plugin, olds, news plugin.Properties, diags *diag.Diagnostics) (plugin.Properties, bool) {
	checked, failures, err := job.Check(ctx, TypeName, olds, news)
	if err != nil {
		diags.AddError("The plugin could not check the job", err.Error())
		return nil, false
	}
	for _, failure := range failures {
		attribute, known := inputs[failure.Property]
		switch {
		case !known:
			diags.AddError("The job cannot be planned", failure.Reason)
		case attribute.IsSensitive():
			// Not on the attribute: Terraform would quote its line of the configuration,
			// which for declared users holds their data. The reason names the user.
			diags.AddError("Invalid "+failure.Property, failure.Reason)
		default:
			diags.AddAttributeError(path.Root(failure.Property), "Invalid "+failure.Property, failure.Reason)
		}
	}
	return checked, len(failures) == 0
}

func (r *jobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	job, props, ok := r.start(ctx, req.Plan.Raw, &resp.Diagnostics)
	if !ok {
		return
	}
	defer say(ctx, job, &resp.Diagnostics, false)
	jobID, outs, err := job.Create(ctx, TypeName, props)
	if err != nil {
		resp.Diagnostics.AddError("The import did not complete", err.Error())
		return
	}
	r.store(ctx, &resp.State, req.Plan.Raw, jobID, outs, nil, &resp.Diagnostics)
}

func (r *jobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	job, props, ok := r.start(ctx, req.State.Raw, &resp.Diagnostics)
	if !ok {
		return
	}
	defer say(ctx, job, &resp.Diagnostics, true)
	current := stateID(ctx, req.State, &resp.Diagnostics)
	imported := props["user_pool_id"] == nil // `terraform import`: the id alone
	if imported {
		props = plugin.Properties{settingsInput: r.client.settings}
	}
	found, outs, foundInputs, err := job.Read(ctx, TypeName, current, props)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the job "+current, err.Error())
		return
	}
	if found == "" {
		tflog.Warn(ctx, "the job is gone: removed from state", map[string]any{"id": current})
		resp.State.RemoveResource(ctx)
		return
	}
	var given plugin.Properties
	if imported {
		given = foundInputs
	}
	r.store(ctx, &resp.State, req.State.Raw, found, outs, given, &resp.Diagnostics)
}

func (r *jobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	job, news, ok := r.start(ctx, req.Plan.Raw, &resp.Diagnostics)
	if !ok {
		return
	}
	defer say(ctx, job, &resp.Diagnostics, false)
	olds, err := r.props(req.State.Raw, nil)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the job's state", err.Error())
		return
	}
	current := stateID(ctx, req.State, &resp.Diagnostics)
	outs, err := job.Update(ctx, TypeName, current, olds, news)
	if err != nil {
		resp.Diagnostics.AddError("The job could not be updated", err.Error())
		return
	}
	r.store(ctx, &resp.State, req.Plan.Raw, current, outs, nil, &resp.Diagnostics)
}

func (r *jobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	job, props, ok := r.start(ctx, req.State.Raw, &resp.Diagnostics)
	if !ok {
		return
	}
	defer say(ctx, job, &resp.Diagnostics, false)
	if err := job.Delete(ctx, TypeName, stateID(ctx, req.State, &resp.Diagnostics), props); err != nil {
		resp.Diagnostics.AddError("The job could not be stopped or released", err.Error())
	}
}

// stateID is the job's resource id as state records it (`<user_pool_id>/<job_id>`).
func stateID(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) string {
	var id string
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &id)...)
	return id
}

// ImportState takes `<user_pool_id>/<job_id>`; Read then reads the job by that alone.
func (r *jobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	pool, jobID, found := strings.Cut(req.ID, "/")
	if !found || pool == "" || jobID == "" || strings.Contains(jobID, "/") {
		resp.Diagnostics.AddError("Import needs <user_pool_id>/<job_id>",
			fmt.Sprintf("%q is not a user pool ID and a job ID joined by /, such as "+
				"us-east-1_AbCdEf123/import-AbCdEf1234", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// start is the running plugin and the properties of `raw`.
func (r *jobResource) start(ctx context.Context, raw tftypes.Value, diags *diag.Diagnostics) (*plugin.Plugin, plugin.Properties, bool) {
	if r.client == nil {
		diags.AddError("The provider is not configured", "cognitouserimport_job needs its provider.")
		return nil, nil, false
	}
	job, err := r.client.job(ctx)
	if err != nil {
		diags.AddError("The cognito-user-import plugin did not start", err.Error())
		return nil, nil, false
	}
	props, err := r.props(raw, nil)
	if err != nil {
		diags.AddError("Could not read the job's attributes", err.Error())
		return nil, nil, false
	}
	return job, props, true
}

// store writes the state: the inputs as planned (or, imported, as Cognito knows them) and
// every output as the plugin computed it.
func (r *jobResource) store(ctx context.Context, state *tfsdk.State, planned tftypes.Value, jobID string, outs, given plugin.Properties, diags *diag.Diagnostics) {
	state.Raw = planned.Copy()
	values := plugin.Properties{"id": jobID}
	for name := range outputs {
		values[name] = outs[name]
	}
	for name, value := range given {
		if _, isInput := inputs[name]; isInput {
			values[name] = value
		}
	}
	if _, kept := outs["content_sha256"]; !kept {
		delete(values, "content_sha256") // as planned
	}
	for name, value := range values {
		if _, structured := outputs[name].(schema.DynamicAttribute); structured {
			value = plugin.SnakeKeys(value)
		}
		if err := setAttribute(ctx, state, name, value); err != nil {
			diags.AddError("Could not record "+name, err.Error())
		}
	}
}

// attributeSetter is a plan or a state.
type attributeSetter interface {
	SetAttribute(context.Context, path.Path, interface{}) diag.Diagnostics
}

// setAttribute sets one top-level attribute from a property value, typed by the schema.
func setAttribute(ctx context.Context, target attributeSetter, name string, value any) error {
	var s interface {
		TypeAtPath(context.Context, path.Path) (attr.Type, diag.Diagnostics)
	}
	switch t := target.(type) {
	case *tfsdk.Plan:
		s = t.Schema
	case *tfsdk.State:
		s = t.Schema
	}
	typ, diags := s.TypeAtPath(ctx, path.Root(name))
	if diags.HasError() {
		return errors.New(summaries(diags))
	}
	v, err := plugin.ToTerraform(typ.TerraformType(ctx), value)
	if err != nil {
		return err
	}
	typed, err := typ.ValueFromTerraform(ctx, v)
	if err != nil {
		return err
	}
	if diags := target.SetAttribute(ctx, path.Root(name), typed); diags.HasError() {
		return errors.New(summaries(diags))
	}
	return nil
}

func summaries(diags diag.Diagnostics) string {
	var said []string
	for _, d := range diags {
		said = append(said, d.Summary()+": "+d.Detail())
	}
	return strings.Join(said, "; ")
}

// say passes on what the plugin told its user: to Terraform's log, and, where Pulumi would
// show them during a preview (a pool that could not be checked, say), as warnings.
func say(ctx context.Context, job *plugin.Plugin, diags *diag.Diagnostics, planning bool) {
	for _, line := range job.Said() {
		if strings.TrimSpace(line) == "" {
			continue
		}
		tflog.Info(ctx, line)
		if planning || diags.HasError() {
			diags.AddWarning("cognito-user-import", line)
		}
	}
}
