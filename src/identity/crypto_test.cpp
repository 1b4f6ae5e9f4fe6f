#include "identity/crypto.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace dure::identity {
namespace {

Keyring test_keys(char fill = 'k') { return Keyring::from_master(std::string(32, fill)); }

TEST(Crypto, EncryptRoundTripsAndIsRandomized) {
    auto k = test_keys();
    auto a = k.encrypt("홍길동", "persons.name");
    auto b = k.encrypt("홍길동", "persons.name");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find("홍길동"), std::string::npos);
    EXPECT_EQ(k.decrypt(a, "persons.name"), "홍길동");
}

TEST(Crypto, CiphertextIsBoundToItsColumnAndKey) {
    auto k = test_keys();
    auto c = k.encrypt("010-1234-5678", "persons.phone");
    EXPECT_THROW(k.decrypt(c, "persons.name"), std::runtime_error);
    EXPECT_THROW(test_keys('x').decrypt(c, "persons.phone"), std::runtime_error);
    std::string tampered = c;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    EXPECT_THROW(k.decrypt(tampered, "persons.phone"), std::runtime_error);
}

TEST(Crypto, RowBoundCiphertextOpensOnlyOnItsRow) {
    auto k = test_keys();
    auto c = k.encrypt_row("440101-2345678", "persons.rrn", 7);
    EXPECT_TRUE(c.starts_with("v2."));
    EXPECT_EQ(k.decrypt_row(c, "persons.rrn", 7), "440101-2345678");
    EXPECT_THROW(k.decrypt_row(c, "persons.rrn", 8), std::runtime_error);
    EXPECT_THROW(k.decrypt_row(c, "persons.name", 7), std::runtime_error);
    EXPECT_THROW(k.decrypt(c, "persons.rrn"), std::runtime_error) << "a row-bound value is not a column-bound one";
    EXPECT_THROW(k.decrypt_row(k.encrypt("x", "persons.rrn"), "persons.rrn", 7), std::runtime_error)
        << "a column-bound value is refused where the row is bound";
    EXPECT_THROW(k.encrypt_row("x", "persons.rrn", 0), std::logic_error);
}

TEST(Crypto, BlindIndexIsDeterministicPerKeyAndContext) {
    auto k = test_keys();
    EXPECT_EQ(k.blind_index("01012345678", "p"), k.blind_index("01012345678", "p"));
    EXPECT_NE(k.blind_index("01012345678", "p"), k.blind_index("01012345678", "q"));
    EXPECT_NE(k.blind_index("01012345678", "p"), test_keys('y').blind_index("01012345678", "p"));
}

TEST(Crypto, PasswordHashIsArgon2idAndVerifies) {
    auto h = hash_password("correct horse battery");
    EXPECT_TRUE(h.starts_with("$argon2id$"));
    EXPECT_TRUE(verify_password(h, "correct horse battery"));
    EXPECT_FALSE(verify_password(h, "correct horse battery!"));
}

TEST(Crypto, KeyFileIsCreatedPrivateAndReused) {
    auto dir = std::filesystem::temp_directory_path() / ("dure-key-" + random_token(6));
    auto path = dir / "k" / "dure.key";
    auto k1 = Keyring::load_or_create(path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    auto c = k1.encrypt("x", "c");
    EXPECT_EQ(Keyring::load_or_create(path).decrypt(c, "c"), "x");
    ::chmod(path.c_str(), 0644);
    EXPECT_THROW(Keyring::load_or_create(path), std::runtime_error);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dure::identity
