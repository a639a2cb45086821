#include "settings_store.h"

#include <QSettings>

namespace chalk::client {

QString QSettingsStore::value(const QString &key) const
{
    return QSettings().value(key).toString();
}

void QSettingsStore::setValue(const QString &key, const QString &value)
{
    QSettings().setValue(key, value);
}

void QSettingsStore::remove(const QString &key)
{
    QSettings().remove(key);
}

QString MemorySettingsStore::value(const QString &key) const
{
    return m_values.value(key);
}

void MemorySettingsStore::setValue(const QString &key, const QString &value)
{
    m_values.insert(key, value);
}

void MemorySettingsStore::remove(const QString &key)
{
    m_values.remove(key);
}

} // namespace chalk::client
