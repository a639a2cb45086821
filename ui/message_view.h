// The message list: bubbles painted by MessageDelegate, older pages fetched when scrolled to
// the top (the scroll position stays where it was), and kept at the bottom when new messages
// arrive while the user is at the bottom. Bubble colours come from the theme (qproperty-*).
#pragma once

#include "client/message_list_model.h"

#include <QColor>
#include <QListView>
#include <QPointer>

namespace chalk::ui {

class HistoryProxy;
class MessageDelegate;

class MessageView : public QListView {
    Q_OBJECT
    Q_PROPERTY(QColor ownBubbleColor MEMBER m_ownBubble NOTIFY colorsChanged)
    Q_PROPERTY(QColor ownTextColor MEMBER m_ownText NOTIFY colorsChanged)
    Q_PROPERTY(QColor otherBubbleColor MEMBER m_otherBubble NOTIFY colorsChanged)
    Q_PROPERTY(QColor otherTextColor MEMBER m_otherText NOTIFY colorsChanged)
    Q_PROPERTY(QColor metaColor MEMBER m_meta NOTIFY colorsChanged)
    Q_PROPERTY(QColor accentColor MEMBER m_accent NOTIFY colorsChanged)
public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setMessageModel(client::MessageListModel *model);
    client::MessageListModel *messageModel() const { return m_messages; }
    MessageDelegate *messageDelegate() const { return m_delegate; }
    // Maps a row of the view's model (a proxy) to the message model.
    QModelIndex sourceIndex(int row) const;

    bool isAtBottom() const;
    // Scrolls to the newest message and keeps following (e.g. after sending one).
    void followBottom();
    // How many times the view asked for an older page (tests, diagnostics).
    int olderPagesRequested() const { return m_olderRequests; }

    QColor ownBubbleColor() const { return m_ownBubble; }
    QColor ownTextColor() const { return m_ownText; }
    QColor otherBubbleColor() const { return m_otherBubble; }
    QColor otherTextColor() const { return m_otherText; }
    QColor metaColor() const { return m_meta; }
    QColor accentColor() const { return m_accent; }

signals:
    void colorsChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void onAboutToInsert(const QModelIndex &parent, int first, int last);
    void onRangeChanged(int min, int max);
    void onValueChanged(int value);
    void maybeFetchOlder();

    QPointer<client::MessageListModel> m_messages;
    HistoryProxy *m_proxy = nullptr;
    MessageDelegate *m_delegate;
    bool m_stickToBottom = true;
    bool m_prependPending = false;
    int m_fromBottom = 0;
    bool m_fetchQueued = false;
    int m_olderRequests = 0;
    QColor m_ownBubble{0x2c, 0x3e, 0x50};
    QColor m_ownText{Qt::white};
    QColor m_otherBubble{0xe8, 0xea, 0xec};
    QColor m_otherText{0x1b, 0x1f, 0x24};
    QColor m_meta{0x55, 0x5b, 0x62};
    QColor m_accent{0x2c, 0x3e, 0x50};
};

} // namespace chalk::ui
