// terraform-provider-cognitouserimport: Cognito user import jobs for Terraform and OpenTofu,
// served by the cognito-user-import plugin (see internal/plugin).
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cognito-user-import/cognito-user-import/terraform/internal/provider"
)

// Set at build time (terraform/build.sh): the package's version (written once, in
// components/cognito_user_import/_version.py), and the plugin folder of the clone the
// provider was built from.
var (
	version      = "dev"
	pluginFolder = ""
)

func main() {
	debug := flag.Bool("debug", false, "run with support for debuggers such as delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), provider.New(version, pluginFolder), providerserver.ServeOpts{
		Address:         "registry.terraform.io/cognito-user-import/cognitouserimport",
		Debug:           *debug,
		ProtocolVersion: 6,
	})
	provider.Stop()
	if err != nil {
		log.Fatal(err)
	}
}
