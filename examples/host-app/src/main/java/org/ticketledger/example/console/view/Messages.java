package org.ticketledger.example.console.view;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The console's labels in one language, from the {@code messages} bundle next to this class
 * ({@code messages.properties} is English, {@code messages_zh.properties} Chinese; both UTF-8).
 * A missing key shows as {@code ⟦key⟧} rather than failing the page — and a test keeps the
 * bundles complete. Immutable and thread-safe.
 */
public final class Messages {

    /** The languages offered, by tag. */
    public static final List<String> LANGUAGES = List.of("en", "zh");

    private static final String BUNDLE = "org.ticketledger.example.console.view.messages";

    private final String lang;
    private final Locale locale;
    private final ResourceBundle bundle;

    private Messages(String lang) {
        this.lang = lang;
        this.locale = lang.equals("zh") ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
        // No fallback to the JVM's default locale: English is the base bundle, Chinese its child.
        this.bundle = ResourceBundle.getBundle(BUNDLE, lang.equals("zh") ? Locale.CHINESE : Locale.ROOT,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The labels of {@code lang} ({@code en} or {@code zh}); anything else gives English. */
    public static Messages of(String lang) {
        return new Messages(LANGUAGES.contains(lang) ? lang : "en");
    }

    /** The language tag, {@code en} or {@code zh}. */
    public String lang() {
        return lang;
    }

    /** Whether {@code key} has a label (in this language or the English base). */
    public boolean has(String key) {
        return key != null && bundle.containsKey(key);
    }

    /** Every key of this language's bundle (with the base's). */
    public Set<String> keys() {
        return bundle.keySet();
    }

    /** The label for {@code key}, with {@code args} put in its {@code {0}}, {@code {1}}... */
    public String t(String key, Object... args) {
        Objects.requireNonNull(key, "key");
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return "⟦" + key + "⟧";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }
}
