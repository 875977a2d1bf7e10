// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import com.google.gson.JsonObject;

/** A gateway's answer ({@code cmd-response/v1}) to a command. */
public record CommandResponse(String gateway, String command, JsonObject document) {

    public boolean ok() {
        return document.has("ok") && document.get("ok").getAsBoolean();
    }

    /** The {@code result} object of a successful command, or {@code null}. */
    public JsonObject result() {
        return document.has("result") && document.get("result").isJsonObject() ? document.getAsJsonObject("result") : null;
    }

    /** The {@code error.code} of a failed command, or {@code null}. */
    public String errorCode() {
        return document.has("error") && document.get("error").isJsonObject()
                ? document.getAsJsonObject("error").get("code").getAsString() : null;
    }

    /** The {@code error.message} of a failed command, or {@code null}. */
    public String errorMessage() {
        return document.has("error") && document.get("error").isJsonObject()
                && document.getAsJsonObject("error").has("message")
                ? document.getAsJsonObject("error").get("message").getAsString() : null;
    }
}
