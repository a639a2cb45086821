// Who this user has blocked, as far as this device knows. The server keeps the blocks and
// enforces them, but no call lists them, so this remembers its answers (user_blocked,
// user_unblocked) per own uuid in settings::blockedUsers, for the menus that offer Block or
// Unblock. Another device of the account learns a block when it blocks again (harmless).
#pragma once

#include <QObject>
#include <QPointer>
#include <memory>

class QMenu;

namespace chalk::client {
class ChatClient;
class SettingsStore;
} // namespace chalk::client

namespace chalk::ui {

class BlockedUsers : public QObject {
    Q_OBJECT
public:
    // Blocks kept (oldest forgotten first): a bound on a settings list.
    static constexpr int kMaxKept = 1000;

    BlockedUsers(client::ChatClient *client, std::shared_ptr<client::SettingsStore> settings,
                 QObject *parent = nullptr);

    bool isBlocked(const QString &userUuid) const;

    // Adds "Block" or "Unblock" for this user to a menu (nothing for oneself).
    void addActionsTo(QMenu *menu, const QString &userUuid);

signals:
    void changed();

private:
    QString key(const QString &userUuid) const; // "own uuid/their uuid"
    void setBlocked(const QString &userUuid, bool blocked);

    QPointer<client::ChatClient> m_client;
    std::shared_ptr<client::SettingsStore> m_settings;
};

} // namespace chalk::ui
