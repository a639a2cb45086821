// The Users tab: who is in the current room; the user's own entry is marked "(you)".
#pragma once

#include <QWidget>

class QListView;
class QLabel;

namespace chalk::client {
class UserListModel;
}

namespace chalk::ui {

class UsersPane : public QWidget {
    Q_OBJECT
public:
    UsersPane(client::UserListModel *users, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    // What a row shows, e.g. "alice (you)".
    static QString rowText(const QModelIndex &index);

private:
    void updateCount();
    client::UserListModel *m_users;
    QListView *m_view;
    QLabel *m_count;
};

} // namespace chalk::ui
