// A plain-text label that elides its text instead of growing: long names (up to the
// protocol's limits, and from peers) never push the layout apart. Optionally clickable.
#pragma once

#include <QLabel>

namespace chalk::ui {

// A tooltip that shows `text` literally. QToolTip guesses rich text (Qt::mightBeRichText),
// so peer text must never be passed to setToolTip() as it is.
QString plainToolTip(const QString &text);

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);
    explicit ElidedLabel(const QString &text, QWidget *parent = nullptr);

    void setFullText(const QString &text);
    QString fullText() const { return m_full; }
    void setElideMode(Qt::TextElideMode mode);
    void setClickable(bool on);
    // A line added to the tooltip (under the full text when that is elided), e.g. what a
    // click does.
    void setHint(const QString &hint);
    // When the text must be elided and contains `separator`, what follows its last occurrence
    // is kept whole and the part before it is elided (the status keeps ", retrying in 4 s").
    void setTailSeparator(const QString &separator);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void clicked();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void updateShown();
    QString m_full;
    Qt::TextElideMode m_mode = Qt::ElideRight;
    bool m_clickable = false;
    QString m_hint;
    QString m_tailSeparator;
};

} // namespace chalk::ui
