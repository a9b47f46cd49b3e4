// Personal data at rest in the SQLite store: every case row and journal line that holds
// personal values keeps its personal part in its `personal` column, sealed with AES-256-GCM
// under its owner's (a client's) data key; the data keys are in `careflow_data_keys`, each
// wrapped by a host key of the ring. Shredding an owner deletes its key and empties those
// columns; rotation re-wraps the keys. Without a key ring, the personal parts are kept in
// clear (format 0).
#include "sqlite_impl.hpp"

#include <string>

namespace careflow {

using detail::statement;

namespace {

// What a body is bound to: its row and its owner (a body copied elsewhere does not open).
std::string sealed_aad(int kind, std::uint64_t at, const std::string& owner) {
    return "careflow/sealed/" + std::to_string(kind) + "/" + std::to_string(at) + "/" + owner;
}

std::string wrap_aad(const std::string& owner, const std::string& key_id) {
    return "careflow/data-key/" + key_id + "/" + owner;
}

std::string_view as_text(const detail::data_key& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }

} // namespace

void sqlite_store::impl::prepare_sealed() {
    data_key_get = statement(db, "SELECT key_id, wrapped FROM careflow_data_keys WHERE owner = ?");
    data_key_put = statement(db, "INSERT OR REPLACE INTO careflow_data_keys(owner, key_id, wrapped) VALUES (?, ?, ?)");
}

void sqlite_store::impl::forget_keys() noexcept {
    for (auto& [owner, k] : data_keys) detail::wipe(k.data(), k.size());
    data_keys.clear();
}

namespace {

// The data key of `owner` as stored, opened with the ring; nothing when it has none.
std::optional<detail::data_key> stored_key(statement& get, const key_ring* ring, const std::string& owner) {
    get.text(1, owner);
    if (!get.step("careflow.store.corrupt")) return std::nullopt;
    const std::string key_id = get.str(0);
    const std::string wrapped = get.bytes(1);
    get.reset();
    if (!ring || !ring->has(key_id))
        throw error("careflow.store.missing_key",
                    "the store holds personal data sealed under host key '" + key_id + "', which the key ring " +
                        (ring ? "does not hold" : "was not given (sqlite_options::keys)"));
    std::string plain;
    if (!detail::open_sealed(ring->key(key_id), wrap_aad(owner, key_id), wrapped, plain) || plain.size() != 32) {
        detail::wipe(plain.data(), plain.size());
        throw error("careflow.store.bad_key", "host key '" + key_id +
                                                  "' does not open the data keys it wrapped: "
                                                  "the ring holds other bytes under that id");
    }
    detail::data_key k{};
    std::copy(plain.begin(), plain.end(), k.begin());
    detail::wipe(plain.data(), plain.size());
    return k;
}

} // namespace

std::string sqlite_store::impl::seal_row(int kind, std::uint64_t at, const std::string& owner, std::string_view plain) {
    const key_ring* ring = options.keys.get();
    if (!ring || ring->empty()) return detail::keep_plain(plain);
    {
        auto it = data_keys.find(owner);
        if (it == data_keys.end()) {
            auto k = stored_key(data_key_get, ring, owner);
            if (!k) { // a new owner: a new data key, wrapped by the current host key
                k = detail::random_data_key();
                const std::string& id = ring->current();
                data_key_put.text(1, owner)
                    .text(2, id)
                    .blob(3, detail::seal(ring->key(id), wrap_aad(owner, id), as_text(*k)))
                    .run("careflow.store.write_failed");
            }
            it = data_keys.emplace(owner, *k).first;
            detail::wipe(k->data(), k->size());
        }
        return detail::seal(it->second, sealed_aad(kind, at, owner), plain);
    }
}

bool sqlite_store::impl::open_row(int kind, std::uint64_t at, const std::string& owner, std::string_view body,
                                  std::string& plain) {
    if (!body.empty() && static_cast<unsigned char>(body[0]) == detail::sealed_plain)
        return detail::open_sealed({}, {}, body, plain);
    auto it = data_keys.find(owner);
    if (it == data_keys.end()) {
        auto k = stored_key(data_key_get, options.keys.get(), owner);
        if (!k) return false; // its owner was erased
        it = data_keys.emplace(owner, *k).first;
        detail::wipe(k->data(), k->size());
    }
    if (!detail::open_sealed(it->second, sealed_aad(kind, at, owner), body, plain))
        throw error("careflow.store.corrupt", std::string(kind == 0 ? "the personal data of case " : "journal entry ") +
                                                  std::to_string(at) + " does not open under its data key: changed");
    return true;
}

void sqlite_store::impl::shred(const std::string& owner) {
    statement cases(db, "UPDATE careflow_cases SET personal = NULL WHERE owner = ?");
    cases.text(1, owner).run("careflow.store.write_failed");
    statement lines(db, "UPDATE careflow_journal SET personal = NULL WHERE owner = ?");
    lines.text(1, owner).run("careflow.store.write_failed");
    statement key(db, "DELETE FROM careflow_data_keys WHERE owner = ?");
    key.text(1, owner).run("careflow.store.write_failed");
    if (const auto it = data_keys.find(owner); it != data_keys.end()) {
        detail::wipe(it->second.data(), it->second.size());
        data_keys.erase(it);
    }
}

std::size_t sqlite_store::rotate_keys() {
    auto& s = *impl_;
    s.commit_batch();
    const key_ring* ring = s.options.keys.get();
    if (!ring || ring->empty()) throw error("careflow.store.missing_key", "rotate_keys needs a key ring");
    const std::string& current = ring->current();
    s.exec("BEGIN IMMEDIATE", "careflow.store.write_failed");
    std::size_t moved = 0;
    try {
        std::vector<std::string> owners;
        statement old(s.db, "SELECT owner FROM careflow_data_keys WHERE key_id <> ? ORDER BY owner");
        old.text(1, current);
        while (old.step("careflow.store.corrupt")) owners.push_back(old.str(0));
        for (const auto& owner : owners) {
            auto k = stored_key(s.data_key_get, ring, owner);
            s.data_key_put.text(1, owner)
                .text(2, current)
                .blob(3, detail::seal(ring->key(current), wrap_aad(owner, current), as_text(*k)))
                .run("careflow.store.write_failed");
            detail::wipe(k->data(), k->size());
            ++moved;
        }
        s.exec("COMMIT", "careflow.store.write_failed");
    } catch (...) {
        s.rollback();
        throw;
    }
    return moved;
}

std::vector<std::pair<std::string, std::size_t>> sqlite_store::data_keys() {
    impl_->commit_batch();
    statement q(impl_->db, "SELECT key_id, count(*) FROM careflow_data_keys GROUP BY key_id ORDER BY key_id");
    std::vector<std::pair<std::string, std::size_t>> out;
    while (q.step("careflow.store.corrupt")) out.emplace_back(q.str(0), static_cast<std::size_t>(q.integer(1)));
    return out;
}

} // namespace careflow
