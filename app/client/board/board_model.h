// The room's drawing as the client knows it: lines by uuid in drawing order, plus the local
// stroke being drawn. No widgets: the scene (ui/board) listens to the signals and updates
// its items in place; the StrokeSender listens to the stroke signals and talks to the server.
#pragma once

#include "protocol/limits.h"
#include "protocol/objects.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QSet>
#include <QString>

namespace chalk::board {

class BoardModel : public QObject {
    Q_OBJECT
public:
    explicit BoardModel(QObject *parent = nullptr);

    // The signed-in user: lines with this user_uuid count as "mine" for undo, even from an
    // earlier session (the identity survives restarts).
    void setUserUuid(const QString &uuid);
    QString userUuid() const { return m_userUuid; }
    // Points per line (pairs); a longer stroke continues as a new line. Default: Limits.
    void setMaxPointsPerLine(int points);
    int maxPointsPerLine() const { return m_maxPoints; }

    int lineCount() const { return int(m_lines.size()); }
    const protocol::Line &lineAt(int index) const { return m_lines.at(index); }
    const protocol::Line *line(const QString &uuid) const;
    int indexOf(const QString &uuid) const { return int(m_index.value(uuid, -1)); }
    const QList<protocol::Line> &lines() const { return m_lines; }
    protocol::Drawing drawing() const;

    // From the server.
    void setDrawing(const protocol::Drawing &drawing); // drawing_got: replaces everything
    void upsertLine(const protocol::Line &line);       // draw_line_changed (the full line)
    void removeLine(const QString &uuid);              // draw_line_removed
    void reset();                                      // empties the board

    // The local stroke. It is on the board at once (optimistic); the server's echo of it
    // neither duplicates nor redraws it.
    QString beginStroke(const QString &tool, const QString &color, double width);
    void extendStroke(QPointF point);
    void extendStroke(const QList<double> &xy);
    void endStroke();
    bool isDrawing() const { return !m_live.isEmpty(); }
    QString liveStroke() const { return m_live; }
    bool isOwn(const protocol::Line &line) const;

    // remove_draw_line is ours: a server without it (the original) would drop the link.
    void setUndoSupported(bool supported) { m_undoSupported = supported; }
    bool undoSupported() const { return m_undoSupported; }

    // The most recent line of mine still on the board (not the one being drawn), or "".
    QString lastOwnLine() const;
    // Ask for undo / clear; whoever talks to the server (StrokeSender) acts on the signals.
    // Nothing changes locally until the server confirms, so every client shows the same.
    bool requestUndo();
    void requestClear();
    // Redo: an own line whose undo the server confirmed is drawn again, as a new stroke with
    // the same points and style (so it is sent, queued offline and echoed like any stroke).
    // A new stroke of one's own, or a cleared board, forgets what could be redone.
    bool canRedo() const { return m_undoSupported && !m_redo.isEmpty(); }
    bool requestRedo();

signals:
    // At indexOf(uuid): the end, or just below own lines the server has not seen yet.
    void lineAdded(const QString &uuid);
    // Points from firstChangedPoint on (pairs) are new or changed; style may have changed.
    void lineUpdated(const QString &uuid, int firstChangedPoint);
    void lineRemoved(const QString &uuid, int formerIndex);
    void cleared(); // every line is gone; lineAdded follows for a new drawing's lines
    // Around the lineAdded signals of a whole drawing (drawing_got): its lines are final.
    void loadingStarted();
    void loadingFinished();

    void strokeStarted(const QString &uuid);
    void strokeFinished(const QString &uuid);
    void strokeAbandoned(const QString &uuid); // the board was reset under it

    void removeRequested(const QString &uuid);
    void resetRequested();

private:
    void appendLine(const protocol::Line &line);
    void insertLine(qsizetype at, const protocol::Line &line);
    qsizetype serverBoundary() const;
    void appendPoint(protocol::Line &line, double x, double y);
    void abandonLive();
    QString startLine(const QString &tool, const QString &color, double width);

    QList<protocol::Line> m_lines;
    QHash<QString, qsizetype> m_index;
    QString m_userUuid;
    int m_maxPoints = protocol::Limits{}.pointsPerLine;

    QString m_live;           // uuid of the stroke under the pointer, or empty
    QSet<QString> m_ownUuids; // lines this client created (servers may not send user_uuid)
    QSet<QString> m_inFlight; // own lines whose final echo has not come back yet
    QSet<QString> m_undoing;  // removal asked for, not confirmed: a second undo skips it
    // Own lines the server has not echoed at all yet: it will store them after every line it
    // sends us meanwhile, so those are inserted below them (the same order on every screen).
    QSet<QString> m_unechoed;
    bool m_undoSupported = true;
    QList<protocol::Line> m_redo; // undone own lines, the most recent last (bounded)
};

} // namespace chalk::board
