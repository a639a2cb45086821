// Paints a message as a bubble: own messages on the right, others on the left, the sender's
// name, the body word-wrapped, the time and the delivery ticks (clock = waiting, one tick =
// sent, two = stored). Above a bubble it may paint a day separator ("Today", "Yesterday", a
// date in the locale's format) and the "unread" divider; a message of the same sender a few
// minutes after the one above joins its group: no name again, a smaller gap.
// The body is laid out with QTextLayout as PLAIN text: no markup is ever interpreted,
// "<img src=x>" shows those characters. http(s) addresses (message_links.h) are underlined
// ranges of that plain text, nothing more; the view opens them on a click. A reply shows a
// quote of the message it answers above its body (sender, one elided line); an edited message
// says "(edited)" by its time; a deleted one says "Message deleted", in italics.
#pragma once

#include <QDate>
#include <QHash>
#include <QStyledItemDelegate>
#include <QUrl>

class QTextLayout;

namespace chalk::ui {

class MessageView;

class MessageDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    // Messages of one sender at most this far apart are shown as one group.
    static constexpr int kGroupSeconds = 5 * 60;

    // What goes with a row besides its bubble (depends on the row above and the view).
    struct Decorations {
        bool dayHeader = false;     // the first message of a day (and of the whole history)
        bool unreadDivider = false; // the first unread message (UnreadDivider)
        bool grouped = false;       // continues the sender's group: no name, a small gap
        int bits() const { return int(dayHeader) | int(unreadDivider) << 1 | int(grouped) << 2; }
    };

    explicit MessageDelegate(MessageView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // Tooltip: the full date and time of the message (and the address of a link under it).
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    Decorations decorations(const QModelIndex &index) const;
    // The exact string laid out for a message body (newlines as line separators, length
    // capped). Plain text by construction.
    static QString displayText(const QModelIndex &index);
    // The time shown under a message (the day is in the separator above).
    static QString timeText(const QModelIndex &index);
    // The footer: "(edited) " before the time of an edited message.
    static QString footerText(const QModelIndex &index);
    // The one line a reply quotes (newlines as spaces; "Message deleted" once deleted).
    static QString quoteText(const QModelIndex &index);
    // The full local date and time, in the locale's long format (the tooltip).
    static QString fullTimeText(const QModelIndex &index);
    // "Today", "Yesterday", or the date in the locale's long format.
    static QString dayLabel(QDate day, QDate today = QDate::currentDate());

    // The link under `pos` (viewport coordinates) in the row painted at option.rect.
    QUrl linkAt(const QStyleOptionViewItem &option, const QModelIndex &index, QPoint pos) const;
    // Where characters [from, from + length) of displayText() are painted (the first line of
    // them), in viewport coordinates; empty when out of range.
    QRect textRect(const QStyleOptionViewItem &option, const QModelIndex &index, int from,
                   int length) const;
    // The bubble's rectangle in the row painted at option.rect.
    QRect bubbleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;

    void clearCache() { m_sizes.clear(); }
    int cachedSizes() const { return int(m_sizes.size()); }
    // How many bubbles were measured (text laid out) so far: cache misses plus paints.
    qint64 layoutsComputed() const { return m_layouts; }

private:
    struct Geometry {
        Decorations decor;
        int top = 0; // from the row's top to the bubble: gap, separator, divider
        int dayHeight = 0;
        int dividerHeight = 0;
        QSize bubble; // outer size of the bubble
        int nameHeight = 0;
        int quoteHeight = 0; // a reply's quote, between the name and the body
        int bodyHeight = 0;
    };
    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    QRect bubbleRect(const QRect &row, const Geometry &g, bool own) const;
    // The body laid out as painted; returns where its top-left corner goes.
    QPointF layoutBodyAt(QTextLayout &layout, const QStyleOptionViewItem &option,
                         const QModelIndex &index, const Geometry &g) const;
    void paintDecorations(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index,
                          const Geometry &g) const;
    int maxBubbleWidth() const;

    MessageView *m_view;
    struct Cached {
        int width;
        int decor;
        QSize size;
    };
    mutable QHash<QString, Cached> m_sizes; // by message uuid / client id
    mutable qint64 m_layouts = 0;
};

} // namespace chalk::ui
