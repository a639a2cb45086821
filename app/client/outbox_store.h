// Keeps the outbox across a restart of the app: its entries as structured data (a QVariantList
// of maps) in the SettingsStore, for one server origin; a message meant for one server is
// never sent to another. Not for sending: ChatClient flushes the outbox.
#pragma once

#include <QString>
#include <memory>

namespace chalk::client {

class Outbox;
class SettingsStore;

class OutboxStore {
public:
    static constexpr int kKeep = 500; // at most this many are kept across a restart

    explicit OutboxStore(std::shared_ptr<SettingsStore> settings);

    // Writes the newest kKeep entries for `origin`; an empty outbox clears the keys.
    void save(const Outbox &outbox, const QString &origin);
    // Restores what was saved for `origin` into an empty outbox. An outbox saved before
    // issue 9 (a JSON array inside a string) is read and written back structured, once.
    void load(Outbox &outbox, const QString &origin);

private:
    std::shared_ptr<SettingsStore> m_settings;
};

} // namespace chalk::client
