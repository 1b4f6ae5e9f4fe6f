#pragma once
// Secrets and personal-data protection, all on libsodium. One master key (a file, 0600)
// yields separate subkeys for field encryption, blind indexes and the access-log MAC.
#include <filesystem>
#include <string>
#include <string_view>

namespace dure::identity {

class Keyring {
public:
    // Reads the master key file, creating it (32 random bytes, hex, mode 0600) if missing;
    // `created` (optional) tells which happened.
    static Keyring load_or_create(const std::filesystem::path& path, bool* created = nullptr);
    // A keyring from a given 32-byte master key (tests).
    static Keyring from_master(std::string_view master32);

    // XChaCha20-Poly1305 with a random nonce; `context` (e.g. "persons.name") is bound as
    // associated data so a ciphertext cannot be moved to another column. Returns "v1.<base64>".
    std::string encrypt(std::string_view plaintext, std::string_view context) const;
    // Throws std::runtime_error when the ciphertext was altered or belongs elsewhere.
    std::string decrypt(std::string_view ciphertext, std::string_view context) const;
    // The same, bound to one row as well: the associated data is "<context>#<row>", so a
    // ciphertext copied to another row (another person's RRN, another case's notes) fails to
    // decrypt (review #19). Returns "v2.<base64>"; decrypt_row accepts only v2 of that row.
    std::string encrypt_row(std::string_view plaintext, std::string_view context, long long row) const;
    std::string decrypt_row(std::string_view ciphertext, std::string_view context, long long row) const;
    // Deterministic keyed hash (hex) of a normalized value, for equality lookup.
    std::string blind_index(std::string_view normalized, std::string_view context) const;
    // Keyed MAC (hex) for the access-log chain.
    std::string audit_mac(std::string_view data) const;

private:
    unsigned char enc_key_[32];
    unsigned char bidx_key_[32];
    unsigned char audit_key_[32];
};

// argon2id hash in libsodium's encoded form. Slow on purpose: call off the io threads.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view encoded, std::string_view password);

// `bytes` random bytes as unpadded base64url.
std::string random_token(std::size_t bytes = 32);
// SHA-256 (hex) of a token, for storing session and API tokens.
std::string token_hash(std::string_view token);
// Constant-time string equality.
bool secure_equals(std::string_view a, std::string_view b);

// Makes sure libsodium is initialised; safe to call often.
void crypto_init();

}  // namespace dure::identity
