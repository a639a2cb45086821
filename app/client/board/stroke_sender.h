// Streams the local stroke to the server while it is drawn: every ~40 ms the points added
// since the last send go out as one change_draw_line (append: true), and on mouse-up the
// full line (so a server that knows no `append` also ends with the whole stroke).
// Undo and clear requests of the model go out through the same transport.
#pragma once

#include "draw_transport.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace chalk::board {

class BoardModel;

class StrokeSender : public QObject {
    Q_OBJECT
public:
    StrokeSender(BoardModel *model, DrawTransport *transport, QObject *parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    // Off for a server without `append` (the original): each batch then carries the whole
    // line so far, which such a server stores by replacing.
    void setAppendSupported(bool supported) { m_append = supported; }
    bool appendSupported() const { return m_append; }

    // Sends what the live stroke gained since the last send, now.
    void flush();

private:
    void onStarted(const QString &uuid);
    void onFinished(const QString &uuid);
    void onAbandoned(const QString &uuid);

    QPointer<BoardModel> m_model;
    DrawTransport *m_transport;
    QTimer m_timer;
    bool m_append = true;
    QString m_uuid;       // the live stroke
    qsizetype m_sent = 0; // numbers of its points already sent
};

} // namespace chalk::board
