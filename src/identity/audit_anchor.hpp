#pragma once
// Signed checkpoints of the access log's head, kept outside the database. The chain inside the
// database shows an edited or deleted row, but someone who can write the database can also cut
// the newest rows and move the head back. So the server appends, every few minutes, a line
// (row count, last id, last mac, time) signed with a key derived from the master key to an
// append-only file (and optionally POSTs it to a URL elsewhere); `dure audit verify` checks the
// file's own signatures and that every row a checkpoint saw is still there, unchanged.
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "identity/store.hpp"

namespace dure::identity {

struct Checkpoint {
    long long seq = 0;      // 1, 2, … in the file
    long long at = 0;       // when it was written (Unix seconds)
    long long rows = 0;     // rows in the log then
    long long last_id = 0;  // the head then
    std::string last_mac;
    std::string prev;  // the previous line's signature ("" for the first)
    std::string sig;   // keyed MAC over every field above
};

// The signature of a checkpoint's fields.
std::string checkpoint_signature(const Keyring& keys, const Checkpoint& c);

// Reads `file` (one JSON checkpoint a line). Every line must carry a valid signature and name the
// line before it; a problem is added for each that does not. A last line without its newline is
// a write in progress and is skipped. Returns the latest good checkpoint (nullopt if none).
std::optional<Checkpoint> read_checkpoints(const std::filesystem::path& file, const Keyring& keys,
                                           std::vector<std::string>& problems);

class AuditAnchor {
public:
    // `post` (optional) receives each checkpoint line as JSON, e.g. to send it to another host.
    AuditAnchor(IdentityStore& store, const Keyring& keys, std::filesystem::path file,
                std::function<void(const std::string&)> post = {})
        : store_(store), keys_(keys), file_(std::move(file)), post_(std::move(post)) {}

    // Appends a checkpoint of the current head when it moved since the last one, or when the file
    // has none yet. Returns true when a line was written. Throws std::runtime_error on I/O errors.
    bool checkpoint(long long now);
    const std::filesystem::path& file() const { return file_; }

private:
    IdentityStore& store_;
    const Keyring& keys_;
    std::filesystem::path file_;
    std::function<void(const std::string&)> post_;
    std::mutex mu_;
    bool loaded_ = false;
    std::optional<Checkpoint> last_;
};

}  // namespace dure::identity
