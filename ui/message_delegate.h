// Paints a message as a bubble: own messages on the right, others on the left, the sender's
// name, the body word-wrapped, the time and the delivery ticks (clock = waiting, one tick =
// sent, two = stored). The body is laid out with QTextLayout as PLAIN text: no markup is
// ever interpreted, "<img src=x>" shows those characters.
#pragma once

#include <QHash>
#include <QStyledItemDelegate>

class QTextLayout;

namespace chalk::ui {

class MessageView;

class MessageDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit MessageDelegate(MessageView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The exact string laid out for a message body (newlines as line separators, length
    // capped). Plain text by construction.
    static QString displayText(const QModelIndex &index);
    // The time shown under a message.
    static QString timeText(const QModelIndex &index);
    void clearCache() { m_sizes.clear(); }
    int cachedSizes() const { return int(m_sizes.size()); }
    // How many bubbles were measured (text laid out) so far: cache misses plus paints.
    qint64 layoutsComputed() const { return m_layouts; }

private:
    struct Geometry {
        QSize bubble; // outer size of the bubble
        int nameHeight = 0;
        int bodyHeight = 0;
        int bodyWidth = 0;
    };
    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    int maxBubbleWidth() const;

    MessageView *m_view;
    struct Cached {
        int width;
        QSize size;
    };
    mutable QHash<QString, Cached> m_sizes; // by message uuid / client id
    mutable qint64 m_layouts = 0;
};

} // namespace chalk::ui
