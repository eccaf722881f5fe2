package org.haven.dicom;

/** A transfer syntax Haven does not know how to read or write: quarantined, never skipped. */
public class UnsupportedTransferSyntaxException extends UnreadableDicomException {
    private final String transferSyntaxUID;

    public UnsupportedTransferSyntaxException(String uid) {
        super("unsupported transfer syntax " + uid);
        this.transferSyntaxUID = uid;
    }

    public String transferSyntaxUID() { return transferSyntaxUID; }
}
