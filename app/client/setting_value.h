// One setting: its key, its type and its default, declared once (as qBittorrent's
// SettingValue<T>); callers read and write it through a SettingsStore and never repeat the
// key or the default. The tables of settings are client_settings.h (the client core) and
// ui/app_settings.h (the desktop app).
#pragma once

#include "settings_store.h"

#include <QLatin1String>
#include <QVariant>

namespace chalk::client {

template <typename T> class SettingValue {
public:
    SettingValue(const char *key, T defaultValue = T{})
        : m_key(QLatin1String(key))
        , m_default(std::move(defaultValue))
    {}

    QString key() const { return m_key; }
    const T &defaultValue() const { return m_default; }

    // The stored value, or the default when the key is unset or holds something that is not
    // a T (an old or hand-edited settings file).
    T get(const SettingsStore &store) const
    {
        QVariant v = store.value(m_key);
        if (!v.isValid())
            return m_default;
        // QSettings' INI files give numbers and booleans back as text: convert, and check.
        if (v.metaType() != QMetaType::fromType<T>() && !v.convert(QMetaType::fromType<T>()))
            return m_default;
        return v.value<T>();
    }
    void set(SettingsStore &store, const T &value) const
    {
        store.setValue(m_key, QVariant::fromValue(value));
    }
    void remove(SettingsStore &store) const { store.remove(m_key); }
    bool isSet(const SettingsStore &store) const { return store.value(m_key).isValid(); }

private:
    QString m_key;
    T m_default;
};

} // namespace chalk::client
