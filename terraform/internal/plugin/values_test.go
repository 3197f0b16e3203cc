package plugin

import (
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"google.golang.org/protobuf/types/known/structpb"
)

// A Terraform object reaches the plugin as Pulumi properties (unknowns as Pulumi's marker,
// nulls left out) and comes back typed by the schema.
func TestTerraformValuesRoundTripThroughPulumisWire(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"csv_file": tftypes.String,
		"start":    tftypes.Bool,
		"rows":     tftypes.Number,
		"users":    tftypes.List{ElementType: tftypes.Map{ElementType: tftypes.String}},
		"role":     tftypes.String,
		"unset":    tftypes.String,
	}}
	value := tftypes.NewValue(typ, map[string]tftypes.Value{
		"csv_file": tftypes.NewValue(tftypes.String, "users.csv"),
		"start":    tftypes.NewValue(tftypes.Bool, true),
		"rows":     tftypes.NewValue(tftypes.Number, big.NewFloat(500)),
		"users": tftypes.NewValue(typ.AttributeTypes["users"], []tftypes.Value{
			tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{
				"email": tftypes.NewValue(tftypes.String, "ada@example.com"),
			}),
		}),
		"role":  tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"unset": tftypes.NewValue(tftypes.String, nil),
	})
	props, err := FromTerraform(value)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := Properties(props.(map[string]any)).Struct()
	if err != nil {
		t.Fatal(err)
	}
	if got := wire.Fields["role"].GetStringValue(); got != unknownValue {
		t.Fatalf("an unknown goes as Pulumi's marker, got %q", got)
	}
	if _, present := wire.Fields["unset"]; present {
		t.Fatal("a null is left out")
	}
	back, err := ToTerraform(typ, map[string]any(FromWire(wire)))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(value) {
		t.Fatalf("round trip changed the value:\n%s\n%s", value, back)
	}
}

func TestSecretsAreUnwrappedFromTheWire(t *testing.T) {
	secret, _ := structpb.NewStruct(map[string]any{
		"url": map[string]any{sigKey: secretSig, "value": "https://signed"},
	})
	if got := FromWire(secret)["url"]; got != "https://signed" {
		t.Fatalf("got %v", got)
	}
}

func TestStructuredOutputsTakeTerraformsNamesButKeepValuesAsKeys(t *testing.T) {
	outcome := map[string]any{
		"byStatus":      map[string]any{"SUCCEEDED": 5.0},
		"firstProblems": []any{map[string]any{"line": 3.0, "jobId": "import-1"}},
	}
	want := map[string]any{
		"by_status":      map[string]any{"SUCCEEDED": 5.0},
		"first_problems": []any{map[string]any{"line": 3.0, "job_id": "import-1"}},
	}
	if got := SnakeKeys(outcome); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

// A dynamic attribute takes the value's own shape: an object of a number and a tuple.
func TestADynamicValueTakesItsOwnShape(t *testing.T) {
	got, err := ToTerraform(tftypes.DynamicPseudoType, map[string]any{
		"lines": 5.0, "notes": []any{"late"}, "none": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"lines": tftypes.Number,
		"notes": tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String}},
		"none":  tftypes.String,
	}}
	if !got.Type().Equal(want) {
		t.Fatalf("got %s", got.Type())
	}
}
