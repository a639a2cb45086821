#include "settings_store.h"

#include <QSettings>

namespace chalk::client {

QVariant QSettingsStore::value(const QString &key) const
{
    return QSettings().value(key);
}

void QSettingsStore::setValue(const QString &key, const QVariant &value)
{
    QSettings().setValue(key, value);
}

void QSettingsStore::remove(const QString &key)
{
    QSettings().remove(key);
}

QVariant MemorySettingsStore::value(const QString &key) const
{
    return m_values.value(key);
}

void MemorySettingsStore::setValue(const QString &key, const QVariant &value)
{
    m_values.insert(key, value);
}

void MemorySettingsStore::remove(const QString &key)
{
    m_values.remove(key);
}

} // namespace chalk::client
