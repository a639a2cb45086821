// The Messages tab: the room's name and colour, the message list, "X is typing…", and the
// editor with a Send button. Sends typing notices at most every 3 seconds.
#pragma once

#include "client/chat_client.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace chalk::client {
class ChatClient;
class MessageListModel;
class TypingTracker;
} // namespace chalk::client
namespace chalk::protocol {
struct Room;
}

namespace chalk::ui {

class ElidedLabel;
class MessageInput;
class MessageView;

class MessagesPane : public QWidget {
    Q_OBJECT
public:
    MessagesPane(client::ChatClient *client, client::MessageListModel *messages,
                 client::TypingTracker *typing, QWidget *parent = nullptr);

    MessageView *view() const { return m_view; }
    MessageInput *input() const { return m_input; }
    QPushButton *sendButton() const { return m_send; }
    ElidedLabel *typingLabel() const { return m_typing; }
    ElidedLabel *roomTitle() const { return m_title; }
    int typingNoticesSent() const { return m_typingSent; }

public slots:
    void sendCurrentText();

private:
    void showRoom(const protocol::Room &room);
    void clearRoom();
    void onTextChanged();
    void updateTyping();

    QPointer<client::ChatClient> m_client;
    client::TypingTracker *m_tracker;
    QStackedWidget *m_stack;
    QLabel *m_swatch;
    ElidedLabel *m_title;
    MessageView *m_view;
    ElidedLabel *m_typing;
    MessageInput *m_input;
    QPushButton *m_send;
    QLabel *m_limitHint;
    QString m_roomUuid;
    QElapsedTimer m_lastTyping;
    int m_typingSent = 0;
};

} // namespace chalk::ui
