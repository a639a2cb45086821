// What tells the user that something was said: the sounds, desktop notifications (notifier.h),
// the unread count (window title, tray icon), do-not-disturb and rooms muted one by one.
// Rules: one's own messages never count; a message in the open room sounds, and notifies only
// when the window is not the active one; a rise of a room's message count elsewhere sounds
// and notifies "new messages in <room>" (the server tells a non-member only the count); a
// muted room does neither; do-not-disturb silences everything but the counts.
#pragma once

#include "protocol/objects.h"

#include <QHash>
#include <QObject>
#include <QPixmap>
#include <functional>
#include <memory>

class QSystemTrayIcon;
class QWidget;

namespace chalk::client {
class ChatClient;
class RoomListModel;
class SettingsStore;
} // namespace chalk::client

namespace chalk::ui {

class Notifier;
class SoundPlayer;

class Attention : public QObject {
    Q_OBJECT
public:
    Attention(client::ChatClient *client, client::RoomListModel *rooms, SoundPlayer *sounds,
              std::shared_ptr<client::SettingsStore> settings, QWidget *window);
    ~Attention() override;

    // The platform's notifier by default; tests put their own (nullptr: none).
    void setNotifier(std::unique_ptr<Notifier> notifier);
    Notifier *notifier() const { return m_notifier.get(); }
    // Whether the window is the active one (QWidget::isActiveWindow by default; tests).
    void setWindowActiveProbe(std::function<bool()> probe) { m_windowActive = std::move(probe); }
    // What a notification calls a room (a direct conversation: the other person; DirectNames).
    void setRoomNamer(std::function<QString(const protocol::Room &)> namer)
    {
        m_roomNamer = std::move(namer);
    }

    bool doNotDisturb() const;
    void setDoNotDisturb(bool on);
    bool isRoomMuted(const QString &uuid) const;
    void setRoomMuted(const QString &uuid, bool muted);
    int totalUnread() const { return m_unread; }
    QSystemTrayIcon *tray() const { return m_tray; } // nullptr without a system tray

signals:
    void openRoomRequested(const QString &uuid);
    void unreadChanged(int total);
    void doNotDisturbChanged(bool on);

private:
    void onMessageCreated(const protocol::Message &message);
    void onRoomsListed(const QList<protocol::Room> &rooms);
    void onRoomChanged(const protocol::Room &room);
    void notify(const QString &roomUuid, const QString &title, const QString &body);
    QString roomName(const QString &uuid) const;
    void recountUnread();
    void updateTray();

    client::ChatClient *m_client;
    client::RoomListModel *m_rooms;
    SoundPlayer *m_sounds;
    std::shared_ptr<client::SettingsStore> m_settings;
    QWidget *m_window;
    std::unique_ptr<Notifier> m_notifier;
    std::function<bool()> m_windowActive;
    QSystemTrayIcon *m_tray = nullptr;
    QPixmap m_trayBase; // the app icon at tray size, loaded once; the badge goes on a copy
    std::function<QString(const protocol::Room &)> m_roomNamer;
    QHash<QString, qint64> m_sums; // message count per room: a rise elsewhere is news
    // The server's unread count per room, where it keeps one: a rise is others' messages only
    // (a rise of the sum may be one's own, written on another device).
    QHash<QString, qint64> m_unreads;
    int m_unread = 0;
};

} // namespace chalk::ui
