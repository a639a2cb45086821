// The Messages tab: the room's name and colour (a direct conversation: the other person's
// name, DirectNames), the message list, "X is typing…", and the editor with a Send button.
// Sends typing notices at most every 3 seconds. A message the server refuses for good (the
// other person blocks you) is said under the editor and its text put back into it.
// Own messages (MessageView's context menu, Up in the empty editor): an edit puts the message
// into the editor under a ComposeBar ("Editing message — Esc to cancel"; Enter saves), a reply
// shows the quoted message in the bar, a delete asks first. Refusals are said under the editor.
#pragma once

#include "client/chat_client.h"
#include "protocol/objects.h"

#include <QElapsedTimer>
#include <QMessageBox>
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

class ComposeBar;
class DirectNames;
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
    // Why the last message was not sent (hidden while there is nothing to say).
    QLabel *refusalLabel() const { return m_refusal; }
    // Names direct conversations by the other person (nullptr: by the server's name).
    void setDirectNames(DirectNames *names);
    ComposeBar *composeBar() const { return m_compose; }
    // The delete confirmation while it is open (nullptr otherwise).
    QMessageBox *deleteConfirmation() const { return m_confirm; }

    // `index` of the message model: what the context menu and the keys start.
    void startReply(const QModelIndex &index);
    void startEdit(const QModelIndex &index);
    void confirmDelete(const QModelIndex &index);
    // Up in the empty editor: edits one's newest message that can be edited. False: none.
    bool editLastOwn();
    // Escape, the ×, another room: the editor gets back what it held before an edit.
    void cancelCompose();

public slots:
    void sendCurrentText();

private:
    void showRoom(const protocol::Room &room);
    void clearRoom();
    void onTextChanged();
    void updateTyping();
    void updateTitle();
    void onRefused(const client::OutboxEntry &entry, const QString &error);
    void onCallError(const protocol::CallError &error);
    void updateMessageActions();

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
    QLabel *m_refusal;
    ComposeBar *m_compose;
    QPointer<QMessageBox> m_confirm;
    QString m_draft; // the editor's text before an edit started
    client::MessageListModel *m_messages;
    QPointer<DirectNames> m_names;
    protocol::Room m_room; // the room shown
    QString m_roomUuid;
    QElapsedTimer m_lastTyping;
    int m_typingSent = 0;
};

} // namespace chalk::ui
