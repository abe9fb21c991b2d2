package dev.weft.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code netty/nio} and {@code netty/io_uring}: Netty 4.2's NIO and io_uring transports, the
 * benchmark peers. One boss loop accepts; worker loops, one per core (as many as Weft's workers),
 * echo with write on read and flush on read-complete, Netty's idiomatic echo. {@code netty/nio-tls}:
 * the NIO one with an {@link SslHandler} first in each pipeline, from
 * {@code SslContextBuilder.forServer(...).sslProvider(SslProvider.JDK)} (the JDK's SSLEngine, as
 * Weft's TLS uses), then the same echo handler.
 */
final class NettyEchoServer implements EchoServer {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    /** Netty's NIO transport. */
    static NettyEchoServer nio() throws InterruptedException {
        return new NettyEchoServer(NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    /** Netty's io_uring transport (JNI); refuses to start, with Netty's reason, where io_uring is unavailable. */
    static NettyEchoServer ioUring() throws InterruptedException {
        if (!IoUring.isAvailable()) {
            throw new IllegalStateException("Netty's io_uring transport is unavailable here: " + IoUring.unavailabilityCause());
        }
        return new NettyEchoServer(IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
    }

    /** Netty's NIO transport with TLS on the JDK's provider, over the suite's key store ({@link TlsKeys}). */
    static NettyEchoServer nioTls(Path keyStore) throws Exception {
        SslContext tls = SslContextBuilder.forServer(TlsKeys.keyManagers(keyStore)).sslProvider(SslProvider.JDK).build();
        return new NettyEchoServer(NioIoHandler.newFactory(), NioServerSocketChannel.class, tls);
    }

    private NettyEchoServer(IoHandlerFactory io, Class<? extends ServerChannel> serverChannel) throws InterruptedException {
        this(io, serverChannel, null);
    }

    private NettyEchoServer(IoHandlerFactory io, Class<? extends ServerChannel> serverChannel, SslContext tls)
            throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, io);
        workers = new MultiThreadIoEventLoopGroup(EchoServer.threads(), io);
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Echo.INSTANCE);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();
        private static final AtomicBoolean LOGGED = new AtomicBoolean();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && LOGGED.compareAndSet(false, true)) {
                var session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                System.err.println("echo: netty/nio-tls negotiated " + session.getProtocol() + " " + session.getCipherSuite());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully();
        workers.shutdownGracefully();
    }
}
