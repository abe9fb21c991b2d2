package dev.weft.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * {@code /api/runtimes}: one JSON object per registered {@code dev.weft:type=Runtime,*} MXBean,
 * oldest runtime first, with every readable attribute under its JMX name ({@code Name},
 * {@code Id}, {@code LiveTasks}, ...) and the bean's {@code objectName}. Attributes are read
 * through the MBean server, not a proxy of the interface, so attributes a newer core adds appear
 * without a change here. A runtime that closes while it is being read is left out.
 */
final class RuntimeBeansJson {
    private static final String PATTERN = "dev.weft:type=Runtime,*";

    private RuntimeBeansJson() { }

    static String of(MBeanServer server) {
        List<Bean> beans = new ArrayList<>();
        try {
            for (ObjectName name : server.queryNames(new ObjectName(PATTERN), null)) {
                Bean bean = read(server, name);
                if (bean != null) {
                    beans.add(bean);
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("weft console: cannot list " + PATTERN, e);
        }
        beans.sort(Comparator.comparingLong(Bean::id).thenComparing(Bean::name));
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < beans.size(); i++) {
            out.append(i == 0 ? "" : ",").append(beans.get(i).json());
        }
        return out.append(']').toString();
    }

    private record Bean(long id, String name, String json) { }

    private static Bean read(MBeanServer server, ObjectName name) {
        List<Attribute> attributes;
        try {
            List<String> readable = new ArrayList<>();
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                if (a.isReadable()) {
                    readable.add(a.getName());
                }
            }
            attributes = server.getAttributes(name, readable.toArray(String[]::new)).asList();
        } catch (JMException e) {
            return null;    // unregistered since the query: its runtime closed
        }
        StringBuilder json = new StringBuilder("{\"objectName\":");
        Json.string(json, name.getCanonicalName());
        long id = Long.MAX_VALUE;
        for (Attribute a : attributes) {
            json.append(',');
            Json.string(json, a.getName());
            json.append(':');
            Json.value(json, a.getValue());
            if (a.getName().equals("Id") && a.getValue() instanceof Number n) {
                id = n.longValue();
            }
        }
        return new Bean(id, name.getCanonicalName(), json.append('}').toString());
    }
}
