#include "identity/crypto.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>

namespace dure::identity {

namespace {

// OWASP's minimum argon2id configuration (m = 19 MiB, t = 2, p = 1): about 30 ms per hash here.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

std::string to_hex(const unsigned char* p, std::size_t n) {
    std::string s(n * 2 + 1, '\0');
    sodium_bin2hex(s.data(), s.size(), p, n);
    s.pop_back();
    return s;
}

std::string to_b64(const unsigned char* p, std::size_t n, int variant) {
    std::string s(sodium_base64_encoded_len(n, variant), '\0');
    sodium_bin2base64(s.data(), s.size(), p, n, variant);
    s.resize(std::strlen(s.c_str()));
    return s;
}

// Hashing is memory-hard: cap how many run at once so a login storm cannot take every worker.
std::counting_semaphore<64>& hash_slots() {
    static std::counting_semaphore<64> slots(std::max(1u, std::min(64u, std::thread::hardware_concurrency())));
    return slots;
}

}  // namespace

void crypto_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    });
}

Keyring Keyring::from_master(std::string_view master) {
    crypto_init();
    if (master.size() != 32) throw std::invalid_argument("master key must be 32 bytes");
    Keyring k;
    const auto* m = reinterpret_cast<const unsigned char*>(master.data());
    crypto_kdf_derive_from_key(k.enc_key_, sizeof k.enc_key_, 1, "dure_key", m);
    crypto_kdf_derive_from_key(k.bidx_key_, sizeof k.bidx_key_, 2, "dure_key", m);
    crypto_kdf_derive_from_key(k.audit_key_, sizeof k.audit_key_, 3, "dure_key", m);
    return k;
}

Keyring Keyring::load_or_create(const std::filesystem::path& path, bool* created) {
    crypto_init();
    std::error_code ec;
    if (created) *created = false;
    if (!std::filesystem::exists(path, ec)) {
        if (created) *created = true;
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
        unsigned char key[32];
        randombytes_buf(key, sizeof key);
        auto old = ::umask(077);
        {
            std::ofstream out(path, std::ios::trunc);
            out << to_hex(key, sizeof key) << "\n";
            if (!out) {
                ::umask(old);
                throw std::runtime_error("cannot write key file " + path.string());
            }
        }
        ::umask(old);
        ::chmod(path.c_str(), 0600);
        sodium_memzero(key, sizeof key);
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        throw std::runtime_error("key file " + path.string() + " must not be readable by others (chmod 600)");
    std::ifstream in(path);
    std::string hex;
    in >> hex;
    unsigned char key[32];
    std::size_t len = 0;
    if (hex.size() != 64 || sodium_hex2bin(key, sizeof key, hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
        len != 32)
        throw std::runtime_error("key file " + path.string() + " does not hold a 64-hex-digit key");
    Keyring k = from_master(std::string_view(reinterpret_cast<char*>(key), 32));
    sodium_memzero(key, sizeof key);
    return k;
}

namespace {

std::string seal(const unsigned char* key, std::string_view prefix, std::string_view plaintext, std::string_view ad) {
    std::string buf(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                        crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(buf.data());
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr, nonce, key);
    return std::string(prefix) + to_b64(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + clen,
                                        sodium_base64_VARIANT_ORIGINAL);
}

std::string open_sealed(const unsigned char* key, std::string_view prefix, std::string_view ciphertext,
                        std::string_view ad) {
    if (!ciphertext.starts_with(prefix))
        throw std::runtime_error(ciphertext.starts_with("v1.") || ciphertext.starts_with("v2.")
                                     ? "ciphertext of another binding (column or row)"
                                     : "unknown ciphertext version");
    auto b64 = ciphertext.substr(prefix.size());
    std::string raw(b64.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(), b64.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len < crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        throw std::runtime_error("malformed ciphertext");
    const auto* nonce = reinterpret_cast<const unsigned char*>(raw.data());
    std::string out(len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES - crypto_aead_xchacha20poly1305_ietf_ABYTES,
                    '\0');
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr,
            nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, len - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
            reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nonce, key) != 0)
        throw std::runtime_error("ciphertext failed authentication");
    out.resize(mlen);
    return out;
}

std::string row_ad(std::string_view context, long long row) {
    return std::string(context) + "#" + std::to_string(row);
}

}  // namespace

std::string Keyring::encrypt(std::string_view plaintext, std::string_view context) const {
    return seal(enc_key_, "v1.", plaintext, context);
}

std::string Keyring::decrypt(std::string_view ciphertext, std::string_view context) const {
    return open_sealed(enc_key_, "v1.", ciphertext, context);
}

std::string Keyring::encrypt_row(std::string_view plaintext, std::string_view context, long long row) const {
    if (row <= 0) throw std::logic_error("encrypt_row needs the row's id");
    return seal(enc_key_, "v2.", plaintext, row_ad(context, row));
}

std::string Keyring::decrypt_row(std::string_view ciphertext, std::string_view context, long long row) const {
    return open_sealed(enc_key_, "v2.", ciphertext, row_ad(context, row));
}

std::string Keyring::blind_index(std::string_view normalized, std::string_view context) const {
    crypto_generichash_state st;
    unsigned char out[16];
    crypto_generichash_init(&st, bidx_key_, sizeof bidx_key_, sizeof out);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(context.data()), context.size());
    unsigned char sep = 0;
    crypto_generichash_update(&st, &sep, 1);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size());
    crypto_generichash_final(&st, out, sizeof out);
    return to_hex(out, sizeof out);
}

std::string Keyring::audit_mac(std::string_view data) const {
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size(), audit_key_);
    return to_hex(out, sizeof out);
}

std::string hash_password(std::string_view password) {
    crypto_init();
    char out[crypto_pwhash_STRBYTES];
    hash_slots().acquire();
    int rc = crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                                   crypto_pwhash_ALG_ARGON2ID13);
    hash_slots().release();
    if (rc != 0) throw std::runtime_error("password hashing ran out of memory");
    return out;
}

bool verify_password(std::string_view encoded, std::string_view password) {
    crypto_init();
    std::string enc(encoded);
    hash_slots().acquire();
    int rc = crypto_pwhash_str_verify(enc.c_str(), password.data(), password.size());
    hash_slots().release();
    return rc == 0;
}

std::string random_token(std::size_t bytes) {
    crypto_init();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return to_b64(reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string token_hash(std::string_view token) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return to_hex(out, sizeof out);
}

bool secure_equals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dure::identity
