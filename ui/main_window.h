// The Chalkroom window: header (name, status, mute, theme), and a splitter with the Log and
// Rooms tabs on the left, Messages, Users and Drawing on the right. It drives a ChatClient it
// does not own; an optional ServerHost (the embedded server) enables "Share on network…".
// Its own settings (app_settings.h) go to the SettingsStore it is given (QSettings by default).
#pragma once

#include "client/chat_client.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>

class QSplitter;
class QTabWidget;
class QAction;

namespace chalk::client {
class ChatClient;
class LogModel;
class SettingsStore;
class MessageListModel;
class RoomListModel;
class TypingTracker;
class UserListModel;
} // namespace chalk::client
namespace chalk::protocol {
struct CallError;
struct Message;
struct Room;
struct User;
} // namespace chalk::protocol

namespace chalk::ui {

class AccountMenu;
class BlockedUsers;
class DirectNames;
class HeaderBar;
class LogPane;
class MessagesPane;
class Attention;
class RoomsPane;
class ServerHost;
class SoundPlayer;
class UsersPane;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // settings: where the window keeps its own settings; nullptr: the app's QSettings.
    explicit MainWindow(client::ChatClient *client,
                        std::shared_ptr<client::SettingsStore> settings = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    void setServerHost(ServerHost *host);
    // The room to open once connected (--room or a link); otherwise the last room.
    void setInitialRoom(const QString &uuid);
    // What the header says for an error; empty when a pane or dialog says it instead.
    static QString errorNotice(const protocol::CallError &error);

    client::ChatClient *client() const { return m_client; }
    HeaderBar *header() const { return m_header; }
    Attention *attention() const { return m_attention; }
    RoomsPane *roomsPane() const { return m_rooms; }
    MessagesPane *messagesPane() const { return m_messages; }
    UsersPane *usersPane() const { return m_users; }
    LogPane *logPane() const { return m_log; }
    QTabWidget *leftTabs() const { return m_leftTabs; }
    QTabWidget *rightTabs() const { return m_rightTabs; }
    QSplitter *splitter() const { return m_splitter; }
    QWidget *drawingTab() const { return m_drawing; }
    client::RoomListModel *roomModel() const { return m_roomModel; }
    client::MessageListModel *messageModel() const { return m_messageModel; }
    client::UserListModel *userModel() const { return m_userModel; }
    client::LogModel *logModel() const { return m_logModel; }
    SoundPlayer *sounds() const { return m_sounds; }
    AccountMenu *accountMenu() const { return m_accountMenu; }
    DirectNames *directNames() const { return m_directNames; }
    BlockedUsers *blockedUsers() const { return m_blocked; }

public slots:
    void shareOnNetwork();
    void connectToServerDialog();
    void saveSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // The Drawing tab. The board engineer's BoardWidget goes here.
    QWidget *createDrawingTab();
    void createMenus();
    void restoreSettings();
    void applyTheme(int index);
    void updateStatus();
    void updateTitle();
    void onReady();
    void onUserChanged(const protocol::User &user);
    void onRoomChanged(const protocol::Room &room);
    void onError(const protocol::CallError &error);

    QPointer<client::ChatClient> m_client;
    std::shared_ptr<client::SettingsStore> m_settings;
    QPointer<ServerHost> m_server;
    client::RoomListModel *m_roomModel;
    client::MessageListModel *m_messageModel;
    client::UserListModel *m_userModel;
    client::LogModel *m_logModel;
    client::TypingTracker *m_typing;
    SoundPlayer *m_sounds;
    DirectNames *m_directNames;
    BlockedUsers *m_blocked;
    AccountMenu *m_accountMenu = nullptr;
    HeaderBar *m_header;
    QSplitter *m_splitter;
    QTabWidget *m_leftTabs;
    QTabWidget *m_rightTabs;
    LogPane *m_log;
    RoomsPane *m_rooms;
    MessagesPane *m_messages;
    UsersPane *m_users;
    QWidget *m_drawing;
    QAction *m_shareAction = nullptr;
    QAction *m_muteAction = nullptr;
    QAction *m_reconnectAction = nullptr;
    QString m_initialRoom;
    bool m_initialDone = false;
    QString m_roomName;
    QString m_shownRoom; // the room last entered: re-entering it keeps the tab
    Attention *m_attention;
    QAction *m_dndAction = nullptr;
    QAction *m_muteRoomAction = nullptr;
    QString m_notice; // a server error shown in the header for a few seconds
    QTimer m_noticeTimer;
};

} // namespace chalk::ui
