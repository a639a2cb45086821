// The Rooms tab: search, the list (sorted by creation time), and New / Rename / Colour /
// Delete as buttons and as a context menu. Double-click (or Enter) enters a room.
#pragma once

#include "client/chat_client.h"

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

class RoomListView;

class RoomsPane : public QWidget {
    Q_OBJECT
public:
    RoomsPane(client::ChatClient *client, client::RoomListModel *rooms, QWidget *parent = nullptr);

    RoomListView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *noMatchLabel() const { return m_noMatch; } // "No room matches …", hidden otherwise
    client::RoomFilterProxyModel *proxy() const { return m_proxy; }
    QToolButton *newButton() const { return m_newButton; }
    QToolButton *renameButton() const { return m_renameButton; }
    QToolButton *colorButton() const { return m_colorButton; }
    QToolButton *deleteButton() const { return m_deleteButton; }

    // The uuid of the selected room, or empty.
    QString selectedRoom() const;
    void selectRoom(const QString &uuid);

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
    void showContextMenu(const QPoint &pos);
    void onError(const protocol::CallError &error);

    QPointer<client::ChatClient> m_client;
    client::RoomListModel *m_rooms;
    client::RoomFilterProxyModel *m_proxy;
    QLineEdit *m_search;
    RoomListView *m_view;
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
