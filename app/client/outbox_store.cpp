#include "outbox_store.h"

#include "client_settings.h"
#include "outbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace chalk::client {

OutboxStore::OutboxStore(std::shared_ptr<SettingsStore> settings)
    : m_settings(std::move(settings))
{}

void OutboxStore::save(const Outbox &outbox, const QString &origin)
{
    if (outbox.isEmpty()) {
        settings::outboxEntries.remove(*m_settings);
        settings::outboxServer.remove(*m_settings);
        return;
    }
    QVariantList entries = outbox.toVariantList();
    if (entries.size() > kKeep)
        entries.remove(0, entries.size() - kKeep);
    settings::outboxEntries.set(*m_settings, entries);
    settings::outboxServer.set(*m_settings, origin);
}

void OutboxStore::load(Outbox &outbox, const QString &origin)
{
    if (!outbox.isEmpty() || settings::outboxServer.get(*m_settings) != origin)
        return;
    const QVariant saved = m_settings->value(settings::outboxEntries.key());
    if (saved.typeId() == QMetaType::QString) {
        // The form before issue 9: a JSON array in a string. Read it, then store it anew.
        const QByteArray json = saved.toString().toUtf8();
        outbox.restore(QJsonDocument::fromJson(json).array().toVariantList());
        qCInfo(lcClient) << "migrated" << outbox.size() << "saved outbox entries";
        save(outbox, origin);
        return;
    }
    outbox.restore(settings::outboxEntries.get(*m_settings));
}

} // namespace chalk::client
