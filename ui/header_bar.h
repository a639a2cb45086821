// The window's header: the user's name (click to edit in place), the connection status
// (elided before its last ", " part, so "retrying in N s" at its end stays in view; the whole
// text in the tooltip) with "Reconnect now" while a reconnect waits, the mute toggle (which says so
// when there is no audio device) and the theme slider.
#pragma once

#include <QFrame>

class QLabel;
class QLineEdit;
class QSlider;
class QStackedWidget;
class QToolButton;

namespace chalk::ui {

class ElidedLabel;

class HeaderBar : public QFrame {
    Q_OBJECT
public:
    explicit HeaderBar(QWidget *parent = nullptr);

    void setUserName(const QString &name);
    QString userName() const;
    void setStatus(const QString &text, bool connected);
    QString statusText() const;
    void setMuted(bool muted);
    bool isMuted() const;
    // Without an audio output the mute button says sounds are unavailable and is disabled.
    void setSoundAvailable(bool available);
    bool isSoundAvailable() const { return m_soundAvailable; }
    // Shows "Reconnect now" (while a reconnect waits) or hides it.
    void setReconnectAvailable(bool available);
    void setTheme(int index);
    int theme() const;

    // Opens the name editor (also on a click on the name).
    void beginNameEdit();
    bool isEditingName() const;

    ElidedLabel *nameLabel() const { return m_name; }
    QLineEdit *nameEditor() const { return m_nameEdit; }
    QSlider *themeSlider() const { return m_theme; }
    QToolButton *muteButton() const { return m_mute; }
    QToolButton *reconnectButton() const { return m_reconnect; }
    QToolButton *nameEditButton() const { return m_nameEditButton; }
    ElidedLabel *statusLabel() const { return m_status; }

signals:
    void userNameEdited(const QString &name); // trimmed, non-empty, changed
    void themeChanged(int index);
    void mutedChanged(bool muted);
    void reconnectRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void commitNameEdit();
    void cancelNameEdit();
    void updateMuteIcon();

    QStackedWidget *m_nameStack;
    ElidedLabel *m_name;
    QLineEdit *m_nameEdit;
    QLabel *m_dot;
    ElidedLabel *m_status;
    QToolButton *m_mute;
    QToolButton *m_reconnect;
    QToolButton *m_nameEditButton; // the pencil: shows that the name can be changed
    bool m_soundAvailable = true;
    QSlider *m_theme;
    QLabel *m_themeName;
};

} // namespace chalk::ui
