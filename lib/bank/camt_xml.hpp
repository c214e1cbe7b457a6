// Helpers over pugixml for ISO 20022 documents. Elements are found by local name, so a file
// that writes <camt:Ntry> with a prefix reads the same as one with a default namespace.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace cobrador::bank::camt {

// "Ntry" for both <Ntry> and <x:Ntry>.
std::string_view local_name(const pugi::xml_node& node);

// First child element with that local name; a null node if there is none. A path such as
// "AmtDtls/TxAmt/Amt" walks down one level per name.
pugi::xml_node child(const pugi::xml_node& node, std::string_view path);

// All child elements with that local name, in document order.
std::vector<pugi::xml_node> children(const pugi::xml_node& node, std::string_view name);

// The element's text without surrounding blanks ("" for a null node).
std::string_view text(const pugi::xml_node& node);

// The namespace URI the element's name is bound to, looked up through its ancestors.
std::string_view namespace_uri(const pugi::xml_node& node);

// Where an element is, for messages: "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt". Repeating
// statement parts (Stmt, Ntfctn, Ntry, TxDtls) always carry their 1-based position, other
// elements only when a sibling has the same name.
std::string element_path(const pugi::xml_node& node);

// element_path(node) for a node inside `ancestor`, whose path is known: only the steps below
// the ancestor are worked out. A statement of 100,000 Ntry siblings would otherwise count
// them all again for every entry's origin.
std::string element_path_below(const pugi::xml_node& ancestor, std::string_view ancestor_path,
                               const pugi::xml_node& node);

// element_path(parent) + "/" + name, for an element that should be there and is not.
std::string missing_path(const pugi::xml_node& parent, std::string_view name);

// Where an entry's elements are when the entry was parsed on its own (a streamed statement
// holds one Ntry at a time, not the document): paths are worked out below the Ntry, whose
// own path the reader knows from its position in the document.
struct Place {
  pugi::xml_node ntry;
  std::string_view ntry_path;

  // "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt" for the Amt of that entry.
  std::string path(const pugi::xml_node& node) const { return element_path_below(ntry, ntry_path, node); }
  // path(parent) + "/" + name, for an element that should be there and is not.
  std::string missing(const pugi::xml_node& parent, std::string_view name) const;
};

}  // namespace cobrador::bank::camt
