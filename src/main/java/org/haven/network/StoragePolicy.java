package org.haven.network;

import java.util.LinkedList;
import java.util.List;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import org.haven.dicom.TransferSyntaxes;

/**
 * Which presentation contexts Haven accepts: Verification, and every storage SOP class (PixelMed's list, plus private
 * SOP classes outside the DICOM root, which the classifier judges like any other file) in any transfer syntax Haven
 * reads. The first acceptable transfer syntax in the sender's order wins, so a compressed image stays compressed.
 */
final class StoragePolicy implements PresentationContextSelectionPolicy {
    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    static boolean acceptsSopClass(String uid) {
        return uid != null && (SOPClass.isVerification(uid) || SOPClass.isStorage(uid) || !uid.startsWith("1.2.840.10008."));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            if (!acceptsSopClass(pc.getAbstractSyntaxUID())) {
                pc.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
                continue;
            }
            String chosen = null;
            for (Object ts : (List) pc.getTransferSyntaxUIDs()) {
                if (TransferSyntaxes.isKnown((String) ts)) {
                    chosen = (String) ts;
                    break;
                }
            }
            if (chosen == null) {
                pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
            } else {
                pc.newTransferSyntaxUIDs();
                pc.addTransferSyntaxUID(chosen);
                pc.setResultReason(ACCEPTANCE);
            }
        }
        return contexts;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }
}
