// The Rooms tab: search, the list of rooms and, apart from them, the Direct list of direct
// conversations (named by the other person); both sorted by creation time. New / Rename /
// Colour / Delete as buttons and as a context menu (a direct conversation is not renamed,
// recoloured or deleted: its list's menu offers Block / Unblock of the other person).
// Double-click (or Enter) enters a room or a conversation.
#pragma once

#include "client/chat_client.h"
#include "room_section_proxy.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace chalk::client {
class ChatClient;
class RoomListModel;
class RoomFilterProxyModel;
} // namespace chalk::client

namespace chalk::ui {

class BlockedUsers;
class DirectNames;
class RoomListView;

class RoomsPane : public QWidget {
    Q_OBJECT
public:
    // names, blocked: may be nullptr (direct conversations keep the server's name; no Block).
    RoomsPane(client::ChatClient *client, client::RoomListModel *rooms,
              DirectNames *names = nullptr, BlockedUsers *blocked = nullptr,
              QWidget *parent = nullptr);

    RoomListView *view() const { return m_view; }
    // The Direct section: its list, its model (over the same room list) and the line shown
    // instead of the list while there is no conversation.
    RoomListView *directView() const { return m_directView; }
    client::RoomFilterProxyModel *directProxy() const { return m_directProxy; }
    QLabel *directHint() const { return m_directHint; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *noMatchLabel() const { return m_noMatch; } // "No room matches …", hidden otherwise
    client::RoomFilterProxyModel *proxy() const { return m_proxy; }
    QToolButton *newButton() const { return m_newButton; }
    QToolButton *renameButton() const { return m_renameButton; }
    QToolButton *colorButton() const { return m_colorButton; }
    QToolButton *deleteButton() const { return m_deleteButton; }

    // The uuid of the selected room or conversation, or empty.
    QString selectedRoom() const;
    // Selects it in its section (and nothing in the other); false when it is not listed.
    bool selectRoom(const QString &uuid);

public slots:
    void createRoom();
    void renameSelected();
    void recolorSelected();
    void deleteSelected();
    void enterSelected();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateButtonStyle();
    // The names of the rooms in the list, but the one with uuid `except`.
    QStringList roomNames(const QString &except = {}) const;
    void updateActions();
    void updateDirectHint();
    // Double-click, Enter, the context menu and the shared selection of one list.
    void setUpList(RoomListView *view);
    void showContextMenu(RoomListView *view, const QPoint &pos);
    void onError(const protocol::CallError &error);

    QPointer<client::ChatClient> m_client;
    client::RoomListModel *m_rooms;
    DirectNames *m_names;
    BlockedUsers *m_blocked;
    RoomSectionProxy *m_proxy;
    RoomSectionProxy *m_directProxy;
    QLineEdit *m_search;
    RoomListView *m_view;
    RoomListView *m_directView;
    QLabel *m_directHint;
    QToolButton *m_newButton;
    QToolButton *m_renameButton;
    QToolButton *m_colorButton;
    QToolButton *m_deleteButton;
    QString m_keepSelected; // the selection across a model reset
    QLabel *m_noMatch;      // "No room matches …"
    QAction *m_enterAction;
    QAction *m_newAction;
    QAction *m_renameAction;
    QAction *m_colorAction;
    QAction *m_deleteAction;
    bool m_selectNextCreated = false;
};

} // namespace chalk::ui
