// The one place where the board meets the ChatClient: server statements go into the
// BoardModel, the model's strokes and requests go out as calls (through a StrokeSender).
// Live chunks of a stroke go straight out; finished lines and undos go through the client's
// outbox, so a stroke drawn offline reaches the room after the reconnect (issue 12). Clearing
// needs the link: offline it is refused with a plain notice.
#pragma once

#include "draw_transport.h"
#include "protocol/codec.h"
#include "stroke_sender.h"

#include <QObject>
#include <QPointer>
#include <QSet>

namespace chalk::client {
class ChatClient;
}

namespace chalk::board {

class BoardModel;

class ChatBoardLink : public QObject, public DrawTransport {
    Q_OBJECT
public:
    ChatBoardLink(client::ChatClient *client, BoardModel *model, QObject *parent = nullptr);

    StrokeSender *sender() { return &m_sender; }
    bool isOffline() const;
    // Finished strokes and undos of ours that the server has not acknowledged yet.
    int waitingCount() const;

    void sendLine(const protocol::Line &line, bool append) override;
    void finishLine(const protocol::Line &line) override;
    void removeLine(const QString &uuid) override;
    void resetDrawing() override;
    void requestDrawing() override;

signals:
    // The server refused a line of ours (e.g. too_many_lines); it was taken off the board.
    void lineRefused(const QString &error, const QString &detail);
    // Whether the board is offline, and how many strokes and undos of ours wait to be sent.
    void offlineChanged(bool offline, int waiting);
    // Something that cannot be done offline was asked for (clearing the board).
    void offlineRefused(const QString &text);
    // Someone (perhaps this user: byMe) cleared the board, from a server that says who.
    void cleared(const QString &byName, bool byMe);

private:
    void onFeaturesLearned();
    void onError(const protocol::CallError &error);
    void onDrawingGot(const protocol::Drawing &drawing);
    void reportOffline();

    QPointer<client::ChatClient> m_client;
    QPointer<BoardModel> m_model;
    StrokeSender m_sender;
    QString m_lastSent;       // the line of our last change_draw_line
    QSet<QString> m_liveSent; // lines of which live chunks reached a socket (since drawing_got)
    bool m_offline = false;
    int m_waiting = -1;
};

} // namespace chalk::board
