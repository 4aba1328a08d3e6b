// Command idlcheck parses a varlink interface description read from stdin with
// the varlink project's own parser (github.com/varlink/go/varlink/idl) and
// exits non-zero if it does not parse or refers to a type it does not define.
// On success it prints the parsed members in a canonical one-line-per-member
// form (comments and layout dropped), so that two descriptions can be compared
// for meaning.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/varlink/go/varlink/idl"
)

func typeString(t *idl.Type) string {
	switch t.Kind {
	case idl.TypeBool:
		return "bool"
	case idl.TypeInt:
		return "int"
	case idl.TypeFloat:
		return "float"
	case idl.TypeString:
		return "string"
	case idl.TypeObject:
		return "object"
	case idl.TypeArray:
		return "[]" + typeString(t.ElementType)
	case idl.TypeMap:
		return "[string]" + typeString(t.ElementType)
	case idl.TypeMaybe:
		return "?" + typeString(t.ElementType)
	case idl.TypeAlias:
		return t.Alias
	case idl.TypeEnum:
		names := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			names[i] = f.Name
		}
		return "(" + strings.Join(names, ", ") + ")"
	case idl.TypeStruct:
		fields := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			fields[i] = f.Name + ": " + typeString(f.Type)
		}
		return "(" + strings.Join(fields, ", ") + ")"
	}
	return fmt.Sprintf("<kind %d>", t.Kind)
}

// undefined returns the first alias t refers to that is not in defined.
func undefined(t *idl.Type, defined map[string]bool) string {
	if t == nil {
		return ""
	}
	if t.Kind == idl.TypeAlias && !defined[t.Alias] {
		return t.Alias
	}
	if name := undefined(t.ElementType, defined); name != "" {
		return name
	}
	for _, f := range t.Fields {
		if name := undefined(f.Type, defined); name != "" {
			return name
		}
	}
	return ""
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(2)
	}
	parsed, err := idl.New(string(input))
	if err != nil {
		fmt.Fprintln(os.Stderr, "parse:", err)
		os.Exit(1)
	}
	defined := map[string]bool{}
	for _, a := range parsed.Aliases {
		defined[a.Name] = true
	}
	var types []*idl.Type
	for _, a := range parsed.Aliases {
		types = append(types, a.Type)
	}
	for _, m := range parsed.Methods {
		types = append(types, m.In, m.Out)
	}
	for _, e := range parsed.Errors {
		types = append(types, e.Type)
	}
	for _, t := range types {
		if name := undefined(t, defined); name != "" {
			fmt.Fprintf(os.Stderr, "undefined type %s\n", name)
			os.Exit(1)
		}
	}
	fmt.Printf("interface %s\n", parsed.Name)
	for _, member := range parsed.Members {
		switch m := member.(type) {
		case *idl.Alias:
			fmt.Printf("type %s %s\n", m.Name, typeString(m.Type))
		case *idl.Method:
			fmt.Printf("method %s%s -> %s\n", m.Name, typeString(m.In), typeString(m.Out))
		case *idl.Error:
			if m.Type == nil {
				fmt.Printf("error %s\n", m.Name)
			} else {
				fmt.Printf("error %s %s\n", m.Name, typeString(m.Type))
			}
		}
	}
}
