#include "identity/audit_anchor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace dure::identity {

namespace json = boost::json;

std::string checkpoint_signature(const Keyring& keys, const Checkpoint& c) {
    const char sep = '\x1f';
    return keys.audit_mac(std::string("dure-audit-checkpoint-v1") + sep + std::to_string(c.seq) + sep +
                          std::to_string(c.at) + sep + std::to_string(c.rows) + sep + std::to_string(c.last_id) +
                          sep + c.last_mac + sep + c.prev);
}

std::optional<Checkpoint> read_checkpoints(const std::filesystem::path& file, const Keyring& keys,
                                           std::vector<std::string>& problems) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::optional<Checkpoint> last;
    std::string prev;
    long long expected_seq = 1, line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) break;  // a line still being written
        std::string line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        if (line.empty()) continue;
        std::string where = file.string() + " line " + std::to_string(line_no);
        Checkpoint c;
        try {
            auto o = json::parse(line).as_object();
            c.seq = o.at("seq").to_number<long long>();
            c.at = o.at("at").to_number<long long>();
            c.rows = o.at("rows").to_number<long long>();
            c.last_id = o.at("last_id").to_number<long long>();
            c.last_mac = std::string(o.at("last_mac").as_string());
            c.prev = std::string(o.at("prev").as_string());
            c.sig = std::string(o.at("sig").as_string());
        } catch (const std::exception&) {
            problems.push_back("checkpoint file " + where + " is not a checkpoint (altered)");
            continue;
        }
        if (!secure_equals(checkpoint_signature(keys, c), c.sig)) {
            problems.push_back("checkpoint file " + where + ": signature does not match (forged or altered)");
            continue;
        }
        if (c.seq != expected_seq || c.prev != prev)
            problems.push_back("checkpoint file " + where + ": checkpoint " + std::to_string(c.seq) +
                               " does not follow the one before it (lines removed or reordered)");
        if (last && (c.last_id < last->last_id || c.rows < last->rows))
            problems.push_back("checkpoint file " + where + ": the head went back from " +
                               std::to_string(last->last_id) + " to " + std::to_string(c.last_id));
        prev = c.sig;
        expected_seq = c.seq + 1;
        last = c;
    }
    return last;
}

bool AuditAnchor::checkpoint(long long now) {
    std::lock_guard lk(mu_);
    if (!loaded_) {
        std::vector<std::string> ignored;
        last_ = read_checkpoints(file_, keys_, ignored);
        loaded_ = true;
    }
    auto [last_id, last_mac] = store_.access_log_head();
    if (last_ && last_->last_id == last_id && last_->last_mac == last_mac) return false;
    Checkpoint c;
    c.seq = last_ ? last_->seq + 1 : 1;
    c.at = now;
    c.rows = last_id;  // ids run 1..last_id without gaps
    c.last_id = last_id;
    c.last_mac = last_mac;
    c.prev = last_ ? last_->sig : "";
    c.sig = checkpoint_signature(keys_, c);
    std::string line = json::serialize(json::object{{"seq", c.seq}, {"at", c.at}, {"rows", c.rows},
                                                    {"last_id", c.last_id}, {"last_mac", c.last_mac},
                                                    {"prev", c.prev}, {"sig", c.sig}}) +
                       "\n";
    if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path());
    int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot open " + file_.string() + ": " + std::strerror(errno));
    // One write() on an O_APPEND file: a reader sees the whole line or none of it.
    auto n = ::write(fd, line.data(), line.size());
    int err = errno;
    ::fsync(fd);
    ::close(fd);
    if (n != static_cast<ssize_t>(line.size()))
        throw std::runtime_error("cannot write " + file_.string() + ": " + std::strerror(err));
    last_ = c;
    if (post_) post_(line);
    return true;
}

}  // namespace dure::identity
