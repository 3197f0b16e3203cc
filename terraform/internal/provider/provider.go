// Package provider is the Terraform (and OpenTofu) provider `cognitouserimport`: Terraform's
// protocol translated onto the cognito-user-import plugin's UserImportJob, which holds every
// rule (internal/plugin). This package holds names, types and the translation, no rule.
package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cognito-user-import/cognito-user-import/terraform/internal/plugin"
)

// TypeName is the provider's name in Terraform: resource types begin with it.
const TypeName = "cognitouserimport"

// New is the provider at `version`, running the plugin folder `pluginFolder` when no other is
// named (plugin.Folder).
func New(version, pluginFolder string) func() provider.Provider {
	return func() provider.Provider {
		return &cognitoUserImport{version: version, pluginFolder: pluginFolder}
	}
}

type cognitoUserImport struct {
	version      string
	pluginFolder string
}

func (p *cognitoUserImport) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func str(description string) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Description: description}
}

func strs(description string) schema.ListAttribute {
	return schema.ListAttribute{Optional: true, ElementType: types.StringType, Description: description}
}

func flag(description string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Description: description}
}

// Schema is the AWS settings the import job honours, by the Terraform AWS provider's names
// (the plugin reads them by the same rule as pulumi-aws's, itself that provider's rule).
func (p *cognitoUserImport) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	role := map[string]schema.Attribute{
		"role_arn":     schema.StringAttribute{Required: true, Description: "The role to assume."},
		"session_name": str("The session's name (default cognito-user-import)."),
		"duration":     str("How long the session lasts: 1h, 15m, 1h30m."),
		"policy":       str("An IAM policy (JSON) that limits the session further."),
		"policy_arns":  strs("Managed policies that limit the session further."),
	}
	assumeRole := map[string]schema.Attribute{
		"external_id":         str("The external ID the role's trust policy asks for."),
		"tags":                schema.MapAttribute{Optional: true, ElementType: types.StringType, Description: "Session tags."},
		"transitive_tag_keys": strs("Session tags passed on to roles assumed next."),
		"source_identity":     str("The source identity of the session."),
	}
	webIdentity := map[string]schema.Attribute{
		"web_identity_token":      schema.StringAttribute{Optional: true, Sensitive: true, Description: "The OIDC token."},
		"web_identity_token_file": str("A file holding the OIDC token."),
	}
	for name, attribute := range role {
		assumeRole[name] = attribute
		webIdentity[name] = attribute
	}
	resp.Schema = schema.Schema{
		Description: "Cognito user import jobs, declared. AWS settings are read as the Terraform AWS " +
			"provider reads them: this block, then the environment (AWS_REGION, AWS_PROFILE, ...), " +
			"then the shared config and credentials files.",
		Attributes: map[string]schema.Attribute{
			"region":                             str("The region (then AWS_REGION, AWS_DEFAULT_REGION, the profile's)."),
			"profile":                            str("A profile of the shared files (then AWS_PROFILE)."),
			"access_key":                         schema.StringAttribute{Optional: true, Sensitive: true, Description: "With secret_key (then AWS_ACCESS_KEY_ID)."},
			"secret_key":                         schema.StringAttribute{Optional: true, Sensitive: true, Description: "With access_key (then AWS_SECRET_ACCESS_KEY)."},
			"token":                              schema.StringAttribute{Optional: true, Sensitive: true, Description: "A session token (then AWS_SESSION_TOKEN)."},
			"shared_config_files":                strs("One shared config file (then AWS_CONFIG_FILE, ~/.aws/config)."),
			"shared_credentials_files":           strs("One shared credentials file (then AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials)."),
			"sts_region":                         str("The region of the calls that assume roles."),
			"max_retries":                        schema.Int64Attribute{Optional: true, Description: "Retries of a throttled or failed call (then AWS_MAX_ATTEMPTS; default 7)."},
			"retry_mode":                         str("standard or adaptive (then AWS_RETRY_MODE)."),
			"allowed_account_ids":                strs("The credentials' account must be one of these."),
			"forbidden_account_ids":              strs("The credentials' account must be none of these."),
			"skip_metadata_api_check":            flag("true: no credentials from the instance metadata service."),
			"ec2_metadata_service_endpoint":      str("The instance metadata service's address (then AWS_EC2_METADATA_SERVICE_ENDPOINT)."),
			"ec2_metadata_service_endpoint_mode": str("IPv4 or IPv6 (then AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE)."),
			"custom_ca_bundle":                   str("A PEM bundle of trusted certificates (then AWS_CA_BUNDLE)."),
			"insecure":                           flag("true: TLS certificates are not verified."),
			"http_proxy":                         str("Then HTTP_PROXY; the upload goes the same way."),
			"https_proxy":                        str("Then HTTPS_PROXY; the upload goes the same way."),
			"no_proxy":                           str("Then NO_PROXY."),
			"use_fips_endpoint":                  flag("Then AWS_USE_FIPS_ENDPOINT."),
			"use_dualstack_endpoint":             flag("Then AWS_USE_DUALSTACK_ENDPOINT."),
			"user_agents":                        strs("Added to the User-Agent of every call."),
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.ListNestedBlock{
				Description:  "Roles assumed in turn, from the credentials above.",
				NestedObject: schema.NestedBlockObject{Attributes: assumeRole},
			},
			"assume_role_with_web_identity": schema.ListNestedBlock{
				Description:  "A role assumed with an OIDC token (then AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE).",
				NestedObject: schema.NestedBlockObject{Attributes: webIdentity},
			},
			"endpoints": schema.ListNestedBlock{
				Description: "Endpoints of the services the job calls.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"cognitoidp":     str("Amazon Cognito user pools."),
					"cloudwatchlogs": str("CloudWatch Logs (the job's log)."),
					"logs":           str("CloudWatch Logs, by its other name."),
					"sts":            str("STS (assumed roles, account checks)."),
				}},
			},
		},
	}
}

// Configure keeps the settings for every job of this provider. The plugin starts at the
// first call that needs it (validation needs none).
func (p *cognitoUserImport) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	given, err := plugin.FromTerraform(req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the provider's settings", err.Error())
		return
	}
	values, _ := given.(map[string]any)
	c := &client{folder: p.pluginFolder, version: p.version, settings: map[string]any{
		"provider": TypeName, "host": "terraform", "settings": values,
	}}
	running.Lock()
	running.clients = append(running.clients, c)
	running.Unlock()
	resp.ResourceData = c
	resp.DataSourceData = c
}

func (p *cognitoUserImport) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newJobResource}
}

func (p *cognitoUserImport) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newJobDataSource}
}

// client is one configured provider: its settings, and the plugin once started.
type client struct {
	folder   string
	version  string
	settings map[string]any
	once     sync.Once
	plugin   *plugin.Plugin
	err      error
}

// running is every configured provider of this process, so their plugins end with it.
var running struct {
	sync.Mutex
	clients []*client
}

func (c *client) job(ctx context.Context) (*plugin.Plugin, error) {
	c.once.Do(func() {
		folder, err := plugin.Folder(c.folder, c.version)
		if err != nil {
			c.err = err
			return
		}
		c.plugin, c.err = plugin.Start(ctx, folder)
	})
	return c.plugin, c.err
}

// Stop ends every plugin this process started.
func Stop() {
	running.Lock()
	defer running.Unlock()
	for _, c := range running.clients {
		if c.plugin != nil {
			c.plugin.Stop()
		}
	}
}
