// Where the client and the desktop app keep what must survive a restart (the resume token,
// unsent messages, the window's layout). Injectable so tests never touch the user's real
// settings. Values are QVariants, so structured data (lists, maps) is stored as such; the
// typed keys with their defaults are SettingValue<T> (setting_value.h).
#pragma once

#include <QHash>
#include <QString>
#include <QVariant>

namespace chalk::client {

class SettingsStore {
public:
    virtual ~SettingsStore() = default;
    // An invalid QVariant when the key is not set.
    virtual QVariant value(const QString &key) const = 0;
    virtual void setValue(const QString &key, const QVariant &value) = 0;
    virtual void remove(const QString &key) = 0;
};

// The default: QSettings of the application (organisation/application names set by main).
class QSettingsStore final : public SettingsStore {
public:
    QVariant value(const QString &key) const override;
    void setValue(const QString &key, const QVariant &value) override;
    void remove(const QString &key) override;
};

// In memory only: tests, and several clients in one process that must not share an identity.
class MemorySettingsStore final : public SettingsStore {
public:
    QVariant value(const QString &key) const override;
    void setValue(const QString &key, const QVariant &value) override;
    void remove(const QString &key) override;

private:
    QHash<QString, QVariant> m_values;
};

} // namespace chalk::client
