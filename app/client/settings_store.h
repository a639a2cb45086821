// Where the client keeps what must survive a restart (the resume token). Injectable so tests
// never touch the user's real settings.
#pragma once

#include <QHash>
#include <QString>

namespace chalk::client {

class SettingsStore {
public:
    virtual ~SettingsStore() = default;
    virtual QString value(const QString &key) const = 0;
    virtual void setValue(const QString &key, const QString &value) = 0;
    virtual void remove(const QString &key) = 0;
};

// The default: QSettings of the application (organisation/application names set by main).
class QSettingsStore final : public SettingsStore {
public:
    QString value(const QString &key) const override;
    void setValue(const QString &key, const QString &value) override;
    void remove(const QString &key) override;
};

// In memory only: tests, and several clients in one process that must not share an identity.
class MemorySettingsStore final : public SettingsStore {
public:
    QString value(const QString &key) const override;
    void setValue(const QString &key, const QString &value) override;
    void remove(const QString &key) override;

private:
    QHash<QString, QString> m_values;
};

} // namespace chalk::client
