// Decides where the "unread" divider of the open room goes: above the first message that
// arrived while the room was not in view. Two ways to miss a message:
// - it came while another room was open: the room list counted it (RoomListModel's unread),
//   so on entering, the divider goes above the newest N messages of the history (found in
//   older pages when N is more than the first page holds);
// - it came in the open room while the list was not seen (another tab, the window minimised
//   or not the active one): the first of such a run gets the divider; once the list is seen
//   again, the next run moves it.
// One's own messages are never unread. It only says which message; MessageDelegate paints.
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

namespace chalk::client {
class MessageListModel;
class RoomListModel;
} // namespace chalk::client

namespace chalk::ui {

class UnreadDivider : public QObject {
    Q_OBJECT
public:
    explicit UnreadDivider(client::MessageListModel *messages, QObject *parent = nullptr);

    // The rooms' unread counts, for the divider on entering a room (optional).
    void setRoomModel(client::RoomListModel *rooms);
    // Whether the user can see the message list now (MessageView says so as it changes).
    void setInView(bool inView);
    bool isInView() const { return m_inView; }

    // The uuid of the message the divider sits above; empty when there is none.
    QString anchor() const { return m_anchor; }
    // Its row in the message model, -1 when there is none.
    int row() const;

signals:
    void changed();

private:
    void rememberUnread(int first, int last);
    void onRoomReset();
    void onNewestPage();
    void onPrepended(int count);
    void onAppended(int first, int last);
    void placeFromTop(int rowsAbove);
    void setAnchor(const QString &uuid);

    QPointer<client::MessageListModel> m_messages;
    QPointer<client::RoomListModel> m_rooms;
    QHash<QString, qint64> m_unreadByRoom; // rooms not open, as the room list last said
    QString m_room;
    QString m_anchor;
    qint64 m_unreadAbove = 0; // unread messages of the entered room not placed yet
    bool m_inView = false;
    bool m_runMarked = false; // a message was missed since the list was last seen
};

} // namespace chalk::ui
