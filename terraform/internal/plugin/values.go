package plugin

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"google.golang.org/protobuf/types/known/structpb"
)

// Pulumi's wire markers: a value not known until apply, and a secret's wrapper.
const (
	unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	sigKey       = "4dabf18193072939515e22adb298388d"
	secretSig    = "1b47061264138c4ac30d75fd1eb44270"
)

// Properties are Pulumi property values by name, as plain Go values (nil, bool, float64,
// string, []any, map[string]any, or Unknown).
type Properties map[string]any

// Unknown is a value Terraform will know only at apply.
type Unknown struct{}

// FromTerraform is a Terraform value as a Pulumi property value: objects and maps as maps,
// lists, sets and tuples as lists, numbers as float64 (Pulumi's numbers), unknowns as Unknown.
func FromTerraform(value tftypes.Value) (any, error) {
	if !value.IsKnown() {
		return Unknown{}, nil
	}
	if value.IsNull() {
		return nil, nil
	}
	typ := value.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		err := value.As(&s)
		return s, err
	case typ.Is(tftypes.Bool):
		var b bool
		err := value.As(&b)
		return b, err
	case typ.Is(tftypes.Number):
		n := new(big.Float)
		if err := value.As(&n); err != nil {
			return nil, err
		}
		f, _ := n.Float64()
		return f, nil
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}), typ.Is(tftypes.Tuple{}):
		var items []tftypes.Value
		if err := value.As(&items); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(items))
		for _, item := range items {
			v, err := FromTerraform(item)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case typ.Is(tftypes.Map{}), typ.Is(tftypes.Object{}):
		var fields map[string]tftypes.Value
		if err := value.As(&fields); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(fields))
		for name, field := range fields {
			v, err := FromTerraform(field)
			if err != nil {
				return nil, err
			}
			if v != nil {
				out[name] = v
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("a value of type %s has no Pulumi equivalent", typ)
}

// Struct is the properties on Pulumi's wire.
func (p Properties) Struct() (*structpb.Struct, error) {
	fields := make(map[string]*structpb.Value, len(p))
	for name, value := range p {
		v, err := wire(value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		fields[name] = v
	}
	return &structpb.Struct{Fields: fields}, nil
}

func wire(value any) (*structpb.Value, error) {
	switch v := value.(type) {
	case Unknown:
		return structpb.NewStringValue(unknownValue), nil
	case []any:
		items := make([]*structpb.Value, 0, len(v))
		for _, item := range v {
			w, err := wire(item)
			if err != nil {
				return nil, err
			}
			items = append(items, w)
		}
		return structpb.NewListValue(&structpb.ListValue{Values: items}), nil
	case map[string]any:
		s, err := Properties(v).Struct()
		if err != nil {
			return nil, err
		}
		return structpb.NewStructValue(s), nil
	}
	return structpb.NewValue(value)
}

// FromWire is properties from Pulumi's wire, secrets unwrapped (Terraform's schema says
// which attributes are sensitive) and unknowns as Unknown.
func FromWire(s *structpb.Struct) Properties {
	out := Properties{}
	for name, value := range s.GetFields() {
		out[name] = plain(value)
	}
	return out
}

func plain(value *structpb.Value) any {
	switch kind := value.GetKind().(type) {
	case *structpb.Value_StringValue:
		if kind.StringValue == unknownValue {
			return Unknown{}
		}
		return kind.StringValue
	case *structpb.Value_ListValue:
		items := make([]any, 0, len(kind.ListValue.GetValues()))
		for _, item := range kind.ListValue.GetValues() {
			items = append(items, plain(item))
		}
		return items
	case *structpb.Value_StructValue:
		fields := kind.StructValue.GetFields()
		if sig, ok := fields[sigKey]; ok && sig.GetStringValue() == secretSig {
			return plain(fields["value"])
		}
		return map[string]any(FromWire(kind.StructValue))
	}
	return value.AsInterface()
}

// SnakeKeys is a structured output keyed as Terraform names things: the plugin's objects
// (jobs, outcome, export) are keyed in camelCase, as Pulumi's SDKs name them (jobId,
// byStatus); Terraform's names are snake_case (job_id, by_status). Keys that are values, not
// names (a status such as SUCCEEDED), are kept.
func SnakeKeys(value any) any {
	switch v := value.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for _, item := range v {
			out = append(out, SnakeKeys(item))
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for key, item := range v {
			out[snake(key)] = SnakeKeys(item)
		}
		return out
	}
	return value
}

func snake(key string) string {
	if key == "" || !unicode.IsLower(rune(key[0])) {
		return key
	}
	var b strings.Builder
	for _, c := range key {
		if unicode.IsUpper(c) {
			b.WriteByte('_')
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ToTerraform is a property value as a Terraform value of type `typ`. A dynamic attribute
// (the typed outputs: jobs, outcome, export) takes the value's own shape: objects, tuples,
// strings, numbers and bools.
func ToTerraform(typ tftypes.Type, value any) (tftypes.Value, error) {
	if _, unknown := value.(Unknown); unknown {
		return tftypes.NewValue(typ, tftypes.UnknownValue), nil
	}
	if value == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	if typ.Is(tftypes.DynamicPseudoType) {
		return shaped(value)
	}
	switch t := typ.(type) {
	case tftypes.List, tftypes.Set:
		items, ok := value.([]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected a list, got %T", value)
		}
		element := elementType(t)
		out := make([]tftypes.Value, 0, len(items))
		for _, item := range items {
			v, err := ToTerraform(element, item)
			if err != nil {
				return tftypes.Value{}, err
			}
			out = append(out, v)
		}
		return tftypes.NewValue(typ, out), nil
	case tftypes.Map:
		fields, ok := value.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected a map, got %T", value)
		}
		out := make(map[string]tftypes.Value, len(fields))
		for name, field := range fields {
			v, err := ToTerraform(t.ElementType, field)
			if err != nil {
				return tftypes.Value{}, err
			}
			out[name] = v
		}
		return tftypes.NewValue(typ, out), nil
	case tftypes.Object:
		fields, ok := value.(map[string]any)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected an object, got %T", value)
		}
		out := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for name, attrType := range t.AttributeTypes {
			v, err := ToTerraform(attrType, fields[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			out[name] = v
		}
		return tftypes.NewValue(typ, out), nil
	}
	switch {
	case typ.Is(tftypes.Number):
		number, ok := value.(float64)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected a number, got %T", value)
		}
		return tftypes.NewValue(typ, big.NewFloat(number)), nil
	case typ.Is(tftypes.Bool):
		b, ok := value.(bool)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("expected true or false, got %T", value)
		}
		return tftypes.NewValue(typ, b), nil
	case typ.Is(tftypes.String):
		switch v := value.(type) {
		case string:
			return tftypes.NewValue(typ, v), nil
		case float64, bool:
			return tftypes.NewValue(typ, fmt.Sprint(v)), nil
		}
	}
	return tftypes.Value{}, fmt.Errorf("cannot give %T to Terraform as %s", value, typ)
}

func elementType(t tftypes.Type) tftypes.Type {
	if list, ok := t.(tftypes.List); ok {
		return list.ElementType
	}
	return t.(tftypes.Set).ElementType
}

// shaped is a value in a type of its own shape, for a dynamic attribute.
func shaped(value any) (tftypes.Value, error) {
	switch v := value.(type) {
	case nil:
		return tftypes.NewValue(tftypes.String, nil), nil
	case string:
		return tftypes.NewValue(tftypes.String, v), nil
	case bool:
		return tftypes.NewValue(tftypes.Bool, v), nil
	case float64:
		return tftypes.NewValue(tftypes.Number, big.NewFloat(v)), nil
	case []any:
		types := make([]tftypes.Type, 0, len(v))
		items := make([]tftypes.Value, 0, len(v))
		for _, item := range v {
			s, err := shaped(item)
			if err != nil {
				return tftypes.Value{}, err
			}
			types = append(types, s.Type())
			items = append(items, s)
		}
		return tftypes.NewValue(tftypes.Tuple{ElementTypes: types}, items), nil
	case map[string]any:
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		sort.Strings(names)
		types := make(map[string]tftypes.Type, len(v))
		fields := make(map[string]tftypes.Value, len(v))
		for _, name := range names {
			s, err := shaped(v[name])
			if err != nil {
				return tftypes.Value{}, err
			}
			types[name] = s.Type()
			fields[name] = s
		}
		return tftypes.NewValue(tftypes.Object{AttributeTypes: types}, fields), nil
	}
	return tftypes.Value{}, fmt.Errorf("cannot give %T to Terraform", value)
}
