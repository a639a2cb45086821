// The Users tab: who is in the current room; the user's own entry is marked "(you)". A
// double-click on someone (or the context menu's Message) opens the direct conversation with
// them; the menu also blocks or unblocks them (BlockedUsers).
#pragma once

#include <QPointer>
#include <QWidget>

class QListView;
class QLabel;
class QMenu;

namespace chalk::client {
class ChatClient;
class UserListModel;
} // namespace chalk::client

namespace chalk::ui {

class BlockedUsers;

class UsersPane : public QWidget {
    Q_OBJECT
public:
    // client, blocked: may be nullptr (a list without Message and Block).
    UsersPane(client::UserListModel *users, client::ChatClient *client = nullptr,
              BlockedUsers *blocked = nullptr, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    // What a row shows, e.g. "alice (you)".
    static QString rowText(const QModelIndex &index);
    // The context menu of a row (Message, Block or Unblock); the caller owns it.
    QMenu *menuFor(const QModelIndex &index);

public slots:
    // Opens the direct conversation with the user of this row (not oneself).
    void messageUser(const QModelIndex &index);

private:
    void updateCount();
    void showContextMenu(const QPoint &pos);
    client::UserListModel *m_users;
    QPointer<client::ChatClient> m_client;
    BlockedUsers *m_blocked;
    QListView *m_view;
    QLabel *m_count;
};

} // namespace chalk::ui
