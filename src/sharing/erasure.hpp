#pragma once
// What help matching tells the privacy module before a person's data is erased (docs/sharing.md
// "Erasure"): a person with a live connection (proposed, accepted or active) is someone's helper
// or someone's help under way, so their record is kept until the connection ends or is
// cancelled. The privacy module calls this inside its own transaction.
namespace soci {
class session;
}

namespace dure::sharing {

// The lowest id of a live connection where the account (or, when account_id is 0, the person
// record) is the helper or the recipient; 0 when none.
long long live_connection_of(soci::session& s, long long account_id, long long person_id);

}  // namespace dure::sharing
