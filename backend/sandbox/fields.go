package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
)

// obj is a JSON object that keeps its key order: Facebook answers fields in
// a stable order (name before id by default) and the samples show it.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// field is one entry of a fields= parameter; sub holds the {…} selection.
type field struct {
	name string
	sub  []field
}

// parseFields reads Graph field syntax: "id,name,instagram_business_account{id,username}".
func parseFields(s string) ([]field, bool) {
	fs, rest, ok := parseFieldList(s)
	return fs, ok && rest == ""
}

func parseFieldList(s string) ([]field, string, bool) {
	var out []field
	for {
		i := strings.IndexAny(s, ",{}")
		name := strings.TrimSpace(s)
		if i >= 0 {
			name = strings.TrimSpace(s[:i])
		}
		f := field{name: name}
		if i < 0 {
			if name != "" {
				out = append(out, f)
			}
			return out, "", true
		}
		switch s[i] {
		case ',':
			if name != "" {
				out = append(out, f)
			}
			s = s[i+1:]
		case '{':
			sub, rest, ok := parseFieldList(s[i+1:])
			if !ok || !strings.HasPrefix(rest, "}") || name == "" {
				return nil, "", false
			}
			f.sub = sub
			out = append(out, f)
			s = strings.TrimPrefix(strings.TrimSpace(rest[1:]), ",")
			if s == "" {
				return out, "", true
			}
		case '}':
			if name != "" {
				out = append(out, f)
			}
			return out, s[i:], true
		}
	}
}

func defaultFields(names ...string) []field {
	out := make([]field, len(names))
	for i, n := range names {
		out[i] = field{name: n}
	}
	return out
}
