// explain's rendering against kubectl's (its explain v2 plaintext template and its v1 OpenAPI v2
// printers, run by kubectl's own code on the same documents: the expected texts below are their
// output), go-wordwrap's line breaking and the v1 printer's.
#include "explain/explain.hpp"
#include "explain/openapi_v2.hpp"

#include <doctest/doctest.h>

using namespace kctl::explain;

namespace {

// A small OpenAPI v3 document: a namespaced Widget (allOf and plain $refs, arrays, maps, enums, a
// self-referencing Props, a $ref to a string type) and a cluster-scoped Gadget without fields.
const Document k_document = Document::parse(R"json({"paths": {
  "/apis/ex.io/v1/namespaces/{namespace}/widgets": {"get": {"x-kubernetes-group-version-kind": {"group":"ex.io","kind":"Widget","version":"v1"}}},
  "/apis/ex.io/v1/namespaces/{namespace}/widgets/{name}": {"get": {"x-kubernetes-group-version-kind": {"group":"ex.io","kind":"Widget","version":"v1"}}},
  "/apis/ex.io/v1/gadgets": {"get": {"x-kubernetes-group-version-kind": {"group":"ex.io","kind":"Gadget","version":"v1"}}}
 },
 "components": {"schemas": {
  "io.ex.v1.Widget": {"description": "Widget is a thing that is described at quite some length so that the wrapping of the text at seventy six columns can be observed here.\nA second paragraph   with  extra   spaces and a verylongwordthatgoesonandonandonandonandonandonandonandonandonandonandonandonandon end.", "type":"object", "required":["spec"],
     "x-kubernetes-group-version-kind":[{"group":"ex.io","kind":"Widget","version":"v1"}],
     "properties": {
       "apiVersion": {"type":"string","description":"APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value."},
       "spec": {"allOf":[{"$ref":"#/components/schemas/io.ex.v1.Spec"}], "default": {}, "description":"The spec."},
       "mode": {"type":"string","enum":["","A","B","C","D","E"], "description":"Mode picks one."},
       "tags": {"type":"array","items":{"type":"string"}, "description":"Tags."},
       "labels": {"type":"object","additionalProperties":{"type":"string","default":""}, "description":"Labels."},
       "props": {"$ref":"#/components/schemas/io.ex.v1.Props"},
       "quantity": {"$ref":"#/components/schemas/io.ex.v1.Quantity"},
       "byName": {"type":"object","additionalProperties":{"$ref":"#/components/schemas/io.ex.v1.Item"}},
       "count": {"type":"integer","format":"int32","enum":[1,2.5,1000000]}}},
  "io.ex.v1.Spec": {"description":"Spec is the spec.", "type":"object", "required":["replicas"], "properties": {"replicas":{"type":"integer","format":"int32","description":"Replicas wanted."}, "items": {"type":"array","description":"The items.","items":{"$ref":"#/components/schemas/io.ex.v1.Item"}}}},
  "io.ex.v1.Item": {"description":"Item is one item.","type":"object","properties": {"name":{"type":"string","description":"Name of the item."}, "weight": {"type":"number"}}},
  "io.ex.v1.Quantity": {"description":"Quantity is a number with a unit.","type":"string"},
  "io.ex.v1.Props": {"type":"object","description":"Props nest themselves.","properties": {"not": {"$ref":"#/components/schemas/io.ex.v1.Props"}, "anyOf": {"type":"array","items":{"$ref":"#/components/schemas/io.ex.v1.Props"}}, "x": {"type":"string"}}},
  "io.ex.v1.Gadget": {"type":"object","x-kubernetes-group-version-kind":[{"group":"ex.io","kind":"Gadget","version":"v1"}]}
 }}}
)json");

Rendered
explain(std::string_view resource, std::string_view path, bool recursive = false) {
  std::vector<std::string> fields;
  if (!path.empty()) {
    fields = *split_type_path(path);
  }
  return render_plaintext(k_document, {"ex.io", "v1", std::string(resource)}, fields, recursive);
}

} // namespace

TEST_CASE("render_plaintext: widget") {
  Rendered got = explain("widgets", "");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

DESCRIPTION:
    Widget is a thing that is described at quite some length so that the
    wrapping of the text at seventy six columns can be observed here.
    A second paragraph   with  extra   spaces and a
    verylongwordthatgoesonandonandonandonandonandonandonandonandonandonandonandonandon
    end.
    
FIELDS:
  apiVersion	<string>
    APIVersion defines the versioned schema of this representation of an object.
    Servers should convert recognized schemas to the latest internal value.

  byName	<map[string]Item>
    <no description>

  count	<integer>
  enum: 1, 2.5, 1e+06
    <no description>

  labels	<map[string]string>
    Labels.

  mode	<string>
  enum: "", A, B, C, ....
    Mode picks one.

  props	<Props>
    <no description>

  quantity	<string>
    <no description>

  spec	<Spec> -required-
    The spec.

  tags	<[]string>
    Tags.


)");
}

TEST_CASE("render_plaintext: a field through allOf $ref") {
  Rendered got = explain("widgets", "spec");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: spec <Spec>


DESCRIPTION:
    The spec.
    Spec is the spec.
    
FIELDS:
  items	<[]Item>
    The items.

  replicas	<integer> -required-
    Replicas wanted.


)");
}

TEST_CASE("render_plaintext: an array's items") {
  Rendered got = explain("widgets", "spec.items");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: items <[]Item>


DESCRIPTION:
    The items.
    Item is one item.
    
FIELDS:
  name	<string>
    Name of the item.

  weight	<number>
    <no description>


)");
}

TEST_CASE("render_plaintext: a leaf field") {
  Rendered got = explain("widgets", "spec.items.name");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: name <string>


DESCRIPTION:
    Name of the item.
    

)");
}

TEST_CASE("render_plaintext: an enum field") {
  Rendered got = explain("widgets", "mode");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: mode <string>
ENUM:
    ""
    A
    B
    C
    D
    E

DESCRIPTION:
    Mode picks one.
    

)");
}

TEST_CASE("render_plaintext: a map of refs walked to its values' field") {
  Rendered got = explain("widgets", "byName.weight");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: weight <number>


DESCRIPTION:
    <empty>

)");
}

TEST_CASE("render_plaintext: a cycle on the path is walked through properties") {
  Rendered got = explain("widgets", "props.not.anyOf.x");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: x <string>


DESCRIPTION:
    <empty>

)");
}

TEST_CASE("render_plaintext: a $ref to a string type") {
  Rendered got = explain("widgets", "quantity");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: quantity <string>


DESCRIPTION:
    Quantity is a number with a unit.
    

)");
}

TEST_CASE("render_plaintext: recursive layout, cycles printed once") {
  Rendered got = explain("widgets", "", true);
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

DESCRIPTION:
    Widget is a thing that is described at quite some length so that the
    wrapping of the text at seventy six columns can be observed here.
    A second paragraph   with  extra   spaces and a
    verylongwordthatgoesonandonandonandonandonandonandonandonandonandonandonandonandon
    end.
    
FIELDS:
  apiVersion	<string>
  byName	<map[string]Item>
    name	<string>
    weight	<number>
  count	<integer>
  enum: 1, 2.5, 1e+06
  labels	<map[string]string>
  mode	<string>
  enum: "", A, B, C, ....
  props	<Props>
    anyOf	<[]Props>
    not	<Props>
    x	<string>
  quantity	<string>
  spec	<Spec> -required-
    items	<[]Item>
      name	<string>
      weight	<number>
    replicas	<integer> -required-
  tags	<[]string>

)");
}

TEST_CASE("render_plaintext: recursive layout of a field") {
  Rendered got = explain("widgets", "props", true);
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

FIELD: props <Props>


DESCRIPTION:
    Props nest themselves.
    
FIELDS:
  anyOf	<[]Props>
    anyOf	<[]Props>
    not	<Props>
    x	<string>
  not	<Props>
    anyOf	<[]Props>
    not	<Props>
    x	<string>
  x	<string>

)");
}

TEST_CASE("render_plaintext: a kind without fields") {
  Rendered got = explain("gadgets", "");
  CHECK(got.error == "");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Gadget
VERSION:    v1

DESCRIPTION:
    <empty>

)");
}

TEST_CASE("render_plaintext: an unknown field prints the header, then fails") {
  Rendered got = explain("widgets", "spec.nope");
  CHECK(got.error == "field \"nope\" does not exist");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

)");
}

TEST_CASE("render_plaintext: an unknown field under a leaf") {
  Rendered got = explain("widgets", "spec.replicas.x");
  CHECK(got.error == "field \"x\" does not exist");
  CHECK(got.text == R"(GROUP:      ex.io
KIND:       Widget
VERSION:    v1

)");
}

TEST_CASE("render_plaintext: an unknown resource") {
  Rendered got = explain("nothings", "");
  CHECK(got.error == "GVR (ex.io/v1, Resource=nothings) not found in OpenAPI schema");
  CHECK(got.text == R"()");
}

TEST_CASE("word_wrap: go-wordwrap's breaks (runes counted, long words kept whole)") {
  CHECK(word_wrap("one two three four five six", 10) == "one two\nthree four\nfive six");
  CHECK(word_wrap("aaaaaaaaaaaa bb", 10) == "aaaaaaaaaaaa\nbb");
  CHECK(word_wrap("a  b   c    d", 5) == "a  b\nc\nd");
  CHECK(word_wrap("trailing spaces      ", 8) == "trailing\nspaces");
  CHECK(word_wrap("x\n\n  y\tz", 8) == "x\n\n  y\tz");
  CHECK(word_wrap("héllo wörld ü", 6) == "héllo\nwörld\nü");
  CHECK(word_wrap("a b c d e f", 4) == "a b\nc d\ne f");
  CHECK(word_wrap("  lead", 10) == "  lead");
  CHECK(word_wrap("line one\nline two is longer", 10) == "line one\nline two\nis longer");
  CHECK(word_wrap("no limit at all", 0) == "no limit at all");
}

TEST_CASE("indent: the template's indent pads every line, the empty last one too") {
  CHECK(indent(4, "a\nb\n") == "    a\n    b\n    ");
  CHECK(indent(2, "") == "  ");
}

TEST_CASE("split_type_path and field_path_after: kubectl's reading of TYPE[.FIELD.PATH]") {
  CHECK(*split_type_path("pods.spec.containers") ==
        std::vector<std::string>{"pods", "spec", "containers"});
  CHECK(*split_type_path("pods.") == std::vector<std::string>{"pods"});
  CHECK(*split_type_path("pods..spec") == std::vector<std::string>{"pods", "spec"});
  CHECK(!split_type_path(".pods"));
  CHECK(!split_type_path("pods[0]"));
  CHECK(*field_path_after("deployments.apps.spec.replicas", "deployments", "apps") ==
        std::vector<std::string>{"spec", "replicas"});
  CHECK(*field_path_after("deployments.apps", "deployments", "apps") == std::vector<std::string>{});
  CHECK(*field_path_after("deploy.spec", "deployments", "apps") ==
        std::vector<std::string>{"spec"});
  CHECK(*field_path_after("pods.spec", "pods", "") == std::vector<std::string>{"spec"});
}

TEST_CASE("schema_url: the group version's document, or kubectl's error") {
  Document list =
      Document::parse(R"({"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=AB"},
    "apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=CD"}}})");
  CHECK(*schema_url(list, {"", "v1", "pods"}) == "/openapi/v3/api/v1?hash=AB");
  CHECK(*schema_url(list, {"apps", "v1", "deployments"}) == "/openapi/v3/apis/apps/v1?hash=CD");
  auto missing = schema_url(list, {"apps", "v2", "deployments"});
  REQUIRE(!missing);
  CHECK(missing.error().message == "couldn't find resource for \"apps/v2, Resource=deployments\"");
}

TEST_CASE("render_plaintext: a schema that includes itself through allOf is bounded") {
  Document looping = Document::parse(R"({"paths": {"/api/v1/loops": {"get":
    {"x-kubernetes-group-version-kind": {"group": "", "kind": "Loop", "version": "v1"}}}},
    "components": {"schemas": {"Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}],
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Loop", "version": "v1"}]}}}})");
  Rendered got = render_plaintext(looping, {"", "v1", "loops"}, {}, false);
  CHECK(got.text == "KIND:       Loop\nVERSION:    v1\n\n");
  CHECK(got.error.find("deeper than") != std::string::npos);
}

namespace {

// A small OpenAPI v2 document of the same shapes, for -o plaintext-openapiv2 (expected texts:
// kubectl's v1 explain printers run on it).
const Document k_v2_document =
    Document::parse(R"json({"swagger": "2.0", "info": {"title": "t", "version": "v1"}, "paths": {},
 "definitions": {
  "io.ex.v1.Widget": {"description": "Widget is a thing that is described at quite some length so that the wrapping of the text at seventy five columns can be observed.\n\nSecond paragraph:\n- a bullet item that is long enough to need wrapping at the width of the description\n- another\n    an indented code line kept as is\nShort.", "type": "object", "required": ["spec"],
   "x-kubernetes-group-version-kind": [{"group": "ex.io", "kind": "Widget", "version": "v1"}],
   "properties": {
     "apiVersion": {"type": "string", "description": "APIVersion defines the versioned schema of this representation of an object."},
     "spec": {"$ref": "#/definitions/io.ex.v1.Spec", "description": "The spec."},
     "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags."},
     "labels": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Labels."},
     "raw": {"type": "object", "description": "Anything."},
     "props": {"$ref": "#/definitions/io.ex.v1.Props"}}},
  "io.ex.v1.Spec": {"description": "Spec is the spec.\nNo blank line before this one.", "type": "object", "required": ["replicas"], "properties": {
     "replicas": {"type": "integer", "format": "int32", "description": "Replicas wanted."},
     "items": {"type": "array", "description": "The items.", "items": {"$ref": "#/definitions/io.ex.v1.Item"}}}},
  "io.ex.v1.Item": {"description": "Item is one item.", "type": "object", "properties": {"name": {"type": "string", "description": "Name of the item."}}},
  "io.ex.v1.Props": {"type": "object", "description": "Props nest themselves.", "properties": {"not": {"$ref": "#/definitions/io.ex.v1.Props"}, "x": {"type": "string"}}}
 }}
)json");

Rendered
explain_v2(std::string_view path, bool recursive = false) {
  std::vector<std::string> fields;
  if (!path.empty()) {
    fields = *split_type_path(path);
  }
  return render_openapi_v2(k_v2_document, {"ex.io", "v1", "Widget"}, fields, recursive);
}

} // namespace

TEST_CASE("render_openapi_v2: a kind's description paragraphs and fields") {
  Rendered got = explain_v2("");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

DESCRIPTION:
     Widget is a thing that is described at quite some length so that the
     wrapping of the text at seventy five columns can be observed.

     Second paragraph:
     - a bullet item that is long enough to need wrapping at the width of the
     description
     - another
         an indented code line kept as is
     Short.

FIELDS:
   apiVersion	<string>
     APIVersion defines the versioned schema of this representation of an
     object.

   labels	<map[string]string>
     Labels.

   props	<Object>

   raw	<map[string]>
     Anything.

   spec	<Object> -required-
     The spec.

   tags	<[]string>
     Tags.

)");
}

TEST_CASE("render_openapi_v2: a field through a reference") {
  Rendered got = explain_v2("spec");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

RESOURCE: spec <Object>

DESCRIPTION:
     The spec.

     Spec is the spec. No blank line before this one.

FIELDS:
   items	<[]Object>
     The items.

   replicas	<integer> -required-
     Replicas wanted.

)");
}

TEST_CASE("render_openapi_v2: an array of references") {
  Rendered got = explain_v2("spec.items");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

RESOURCE: items <[]Object>

DESCRIPTION:
     The items.

     Item is one item.

FIELDS:
   name	<string>
     Name of the item.

)");
}

TEST_CASE("render_openapi_v2: a primitive field") {
  Rendered got = explain_v2("spec.items.name");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

FIELD:    name <string>

DESCRIPTION:
     Name of the item.
)");
}

TEST_CASE("render_openapi_v2: a path past a primitive ends at it") {
  Rendered got = explain_v2("spec.replicas.x");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

FIELD:    x <integer>

DESCRIPTION:
     Replicas wanted.
)");
}

TEST_CASE("render_openapi_v2: a map of anything") {
  Rendered got = explain_v2("raw");
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

DESCRIPTION:
     Anything.

     Anything.
)");
}

TEST_CASE("render_openapi_v2: recursive layout, a self-reference listed once") {
  Rendered got = explain_v2("", true);
  CHECK(got.error == "");
  CHECK(got.text == R"(KIND:     Widget
VERSION:  ex.io/v1

DESCRIPTION:
     Widget is a thing that is described at quite some length so that the
     wrapping of the text at seventy five columns can be observed.

     Second paragraph:
     - a bullet item that is long enough to need wrapping at the width of the
     description
     - another
         an indented code line kept as is
     Short.

FIELDS:
   apiVersion	<string>
   labels	<map[string]string>
   props	<Object>
      not	<Object>
      x	<string>
   raw	<map[string]>
   spec	<Object>
      items	<[]Object>
         name	<string>
      replicas	<integer>
   tags	<[]string>
)");
}

TEST_CASE("render_openapi_v2: an unknown field") {
  Rendered got = explain_v2("spec.nope");
  CHECK(got.error == "field \"nope\" does not exist");
  CHECK(got.text == R"()");
}

TEST_CASE("render_openapi_v2: a kind no definition lists") {
  Rendered got = render_openapi_v2(k_v2_document, {"ex.io", "v1", "Gadget"}, {}, false);
  CHECK(got.error == "couldn't find resource for \"ex.io/v1, Kind=Gadget\"");
  CHECK(got.text.empty());
}

TEST_CASE("wrap_paragraphs: kubectl's v1 explain wrapping") {
  // A blank line after a first paragraph that fit on one line is dropped (kubectl's quirk).
  CHECK(wrap_paragraphs("Foo.\n\nBar.", 75) == std::vector<std::string>{"Foo.", "Bar."});
  CHECK(wrap_paragraphs("one two three", 7) == std::vector<std::string>{"one two", "three"});
  CHECK(wrap_paragraphs("Note:\nnext", 75) == std::vector<std::string>{"Note:", "next"});
  CHECK(wrap_paragraphs("a\n1. b\n* c", 75) == std::vector<std::string>{"a", "1. b", "* c"});
  CHECK(wrap_paragraphs("averyveryverylongword x", 5) ==
        std::vector<std::string>{"averyveryverylongword", "x"});
  CHECK(wrap_paragraphs("", 75).empty());
}
